import assert from "node:assert/strict";
import { test } from "node:test";
import type { DbDiff, Row } from "../diff/sqlite-diff.ts";
import { withoutTimestampOnlyUpdates } from "./replay.ts";

function updateOf(before: Row, after: Row): DbDiff {
  const changed = Object.keys(after).filter((column) => before[column] !== after[column]);
  return {
    tables: { loans: { inserted: [], deleted: [], updated: [{ key: { id: 1 }, before, after, changed }] } },
    schema: { addedTables: [], removedTables: [], changedTables: [] },
  };
}

test("a divergence only in wall-clock stamps is not a divergence", () => {
  const diff = updateOf({ id: 1, updated_at: "2026-11-21 12:00:01" }, { id: 1, updated_at: "2026-11-21T12:03:09.120Z" });
  assert.deepEqual(withoutTimestampOnlyUpdates(diff).tables, {});
});

test("a changed date without a time of day is data and stays a divergence", () => {
  const diff = updateOf({ id: 1, due_date: "2026-03-24" }, { id: 1, due_date: "2026-04-07" });
  assert.deepEqual(Object.keys(withoutTimestampOnlyUpdates(diff).tables), ["loans"]);
});

test("a row where a stamp and a real value changed stays a divergence", () => {
  const diff = updateOf({ id: 1, status: "active", updated_at: "2026-11-21 12:00:01" }, { id: 1, status: "returned", updated_at: "2026-11-21 12:03:09" });
  assert.equal(withoutTimestampOnlyUpdates(diff).tables.loans?.updated.length, 1);
});
