import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { writeAwmFolder } from "./export.ts";
import { readAwmFolder } from "./read-folder.ts";
import { folderContents, recordsOf, tinyShopRecords, writeTempFolder } from "../testing/awm-fixture.ts";

test("read → write → read gives the same records, unknown fields and both verifier modes included", () => {
  const a = tinyShopRecords("Alpha Shop");
  const b = tinyShopRecords("Beta Shop");
  const contents = folderContents(a, b);
  contents["gen_tasks.jsonl"] = [{ ...a.tasks, extra: { nested: [1, 2.5, null, "ü\u2028"] } }, b.tasks];
  contents["gen_verifier.jsonl"] = [{ ...b.verifiers[0]!, verification: { code: "def verify_task(i, f):\n    return {}", raw_response: "```python ...```" } }];
  const first = readAwmFolder(writeTempFolder(contents));
  assert.deepEqual(first.errors, []);

  const out = writeTempFolder({});
  const { files } = writeAwmFolder(out, first.bundles);
  assert.deepEqual(files.map((file) => path.basename(file)).sort(), Object.keys(contents).sort());
  const written = fs.readFileSync(path.join(out, "gen_verifier.jsonl"), "utf8");
  assert.equal(written.split("\n").length, 2, "one line per record, newline-terminated");
  assert.equal(JSON.parse(written).mode, undefined, "the studio's mode note is not written into AWM records");

  const second = readAwmFolder(out);
  assert.deepEqual(second.errors, []);
  assert.deepEqual(second.bundles.map(recordsOf), first.bundles.map(recordsOf));
  assert.deepEqual(fs.readdirSync(out).filter((file) => file.endsWith(".tmp")), []);
});

test("files without records are not written, and stale ones are removed", () => {
  const env = tinyShopRecords();
  const { bundles } = readAwmFolder(writeTempFolder({ "gen_tasks.jsonl": [env.tasks] }));
  const out = writeTempFolder({ "gen_db.jsonl": [env.schema], "notes.txt": ["keep me"] });
  const { files } = writeAwmFolder(out, bundles);
  assert.deepEqual(files, [path.join(out, "gen_tasks.jsonl")]);
  assert.deepEqual(fs.readdirSync(out).sort(), ["gen_tasks.jsonl", "notes.txt"]);
});
