import assert from "node:assert/strict";
import { test } from "node:test";
import { issue } from "./issue.ts";
import { groupIssuesByCause } from "./issue-causes.ts";
import { LIVE_SCHEMA_WHERE } from "./live-schema.ts";

const cutOff = issue("schema", "error", "gen_db.jsonl line 3, table ticket_notes", "CREATE TABLE ticket_notes is cut off (SQLite: incomplete input)", { tab: "schema", table: "ticket_notes" });
const index = issue("schema", "error", "gen_db.jsonl line 3, table ticket_notes, indexes[0]", "Index failed: no such table: main.ticket_notes", { tab: "schema", table: "ticket_notes", statement: 0 });
const insert = (n: number) => issue("seed", "error", `gen_sample.jsonl line 3, table ticket_notes, insert_statements[${n}]`, "INSERT failed: no such table: ticket_notes", { tab: "data", table: "Ticket_Notes", statement: n });
const createdByCode = issue("schema", "warning", `${LIVE_SCHEMA_WHERE}, table ticket_notes`, "ticket_notes: broken in the schema, created by the code at start-up with columns id INTEGER", { tab: "schema", table: "ticket_notes" });
const otherInsert = issue("seed", "error", "gen_sample.jsonl line 3, table parts, insert_statements[2]", "INSERT failed: UNIQUE constraint failed: parts.sku", { tab: "data", table: "parts", statement: 2 });
const spec = issue("spec", "warning", "gen_spec.jsonl line 3, operation add_ticket_note", "required_tables not in the schema: mechanic_shifts", { tab: "api", operationId: "add_ticket_note" });

test("a cut-off CREATE TABLE is one problem: its index, its INSERTs and the code's version of it follow from it", () => {
  // The cause need not come first: validation lists seed issues after schema ones, boot issues last.
  const issues = [insert(0), index, otherInsert, cutOff, insert(1), spec, createdByCode];
  assert.deepEqual(groupIssuesByCause(issues), [
    { cause: 2, consequences: [] },
    { cause: 3, consequences: [0, 1, 4, 6] },
    { cause: 5, consequences: [] },
  ]);
});

test("without a failed CREATE TABLE nothing is grouped: a failed INSERT or index stands on its own", () => {
  const issues = [otherInsert, index, insert(0)];
  assert.deepEqual(groupIssuesByCause(issues), [
    { cause: 0, consequences: [] },
    { cause: 1, consequences: [] },
    { cause: 2, consequences: [] },
  ]);
});

test("every issue appears exactly once", () => {
  const issues = [cutOff, index, insert(0), insert(1), createdByCode, otherInsert, spec];
  const seen = groupIssuesByCause(issues).flatMap((problem) => [problem.cause, ...problem.consequences]).sort((a, b) => a - b);
  assert.deepEqual(seen, issues.map((_, i) => i));
});
