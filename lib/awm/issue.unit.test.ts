import assert from "node:assert/strict";
import { test } from "node:test";
import { whereIn } from "./issue.ts";
import { bundleFromArtifacts } from "../store/bundle.ts";

test("an issue names the file and line a record was read from, and a record not read from a file as stored", () => {
  const bundle = bundleFromArtifacts("club", "Club", [
    { kind: "schema", key: "", version: 1, record: {}, sourceFile: "gen_db.jsonl", sourceLine: 3 },
    { kind: "tasks", key: "", version: 4, record: {}, sourceFile: "", sourceLine: 0 },
  ]);
  assert.equal(whereIn(bundle.schema!, "table users"), "gen_db.jsonl line 3, table users");
  // An edit, a revert or a generated version: "line 0" named nothing.
  assert.equal(whereIn(bundle.tasks!), "tasks v4");
});
