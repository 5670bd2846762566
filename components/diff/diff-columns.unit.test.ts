import assert from "node:assert/strict";
import { test } from "node:test";
import { diffColumns } from "./diff-columns.ts";

test("an update's key and changed columns come first, then the rest in the rows' order", () => {
  const row = { id: 1, copy_id: 7, patron_id: 3, checked_out_at: "2026-03-01", due_date: "2026-03-10", renewals_count: 0 };
  const after = { ...row, due_date: "2026-03-24", renewals_count: 1 };
  const columns = diffColumns({ inserted: [], deleted: [], updated: [{ key: { id: 1 }, before: row, after, changed: ["due_date", "renewals_count"] }] });
  assert.deepEqual(columns, ["id", "due_date", "renewals_count", "copy_id", "patron_id", "checked_out_at"]);
});

test("inserted and deleted rows keep their own order; a column only one of them has comes last", () => {
  assert.deepEqual(diffColumns({ inserted: [{ id: 2, name: "Tea Pot" }], deleted: [{ id: 1, name: "Mug", note: "old" }], updated: [] }), ["id", "name", "note"]);
});
