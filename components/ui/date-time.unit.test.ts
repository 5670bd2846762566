import assert from "node:assert/strict";
import { test } from "node:test";
import { formatWhen } from "./date-time.ts";

test("a date reads the same everywhere: local year-month-day and time, seconds when asked; what is no date is shown as it came", () => {
  const moment = new Date(2026, 10, 6, 9, 5, 7).toISOString();
  assert.equal(formatWhen(moment), "2026-11-06 09:05");
  assert.equal(formatWhen(moment, { seconds: true }), "2026-11-06 09:05:07");
  assert.equal(formatWhen("not a date"), "not a date");
});
