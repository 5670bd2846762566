import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCost, formatSeconds, formatTokens } from "./format.ts";

test("durations read as seconds, minutes or hours", () => {
  assert.equal(formatSeconds(42.4), "42 s");
  assert.equal(formatSeconds(65), "1 m 05 s");
  assert.equal(formatSeconds(3 * 3600 + 7 * 60), "3 h 07 m");
});

test("costs keep fractions of a cent visible and tokens get separators", () => {
  assert.equal(formatCost(0, true), "$0");
  assert.equal(formatCost(0.00042, true), "$0.0004");
  assert.equal(formatCost(1.5, true), "$1.50");
  assert.equal(formatCost(0, false), "cost unknown", "no price set: not free");
  assert.equal(formatTokens(12345, 678), "12,345 in / 678 out");
});
