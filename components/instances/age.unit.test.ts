import assert from "node:assert/strict";
import { test } from "node:test";
import { formatAge } from "./age.ts";

test("ages read in seconds, minutes, then hours and minutes", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  assert.equal(formatAge("2026-01-01T11:59:18Z", now), "42 s");
  assert.equal(formatAge("2026-01-01T11:53:00Z", now), "7 min");
  assert.equal(formatAge("2026-01-01T08:55:00Z", now), "3 h 5 min");
  assert.equal(formatAge("2026-01-01T12:00:05Z", now), "0 s", "a clock a little ahead is not a negative age");
});
