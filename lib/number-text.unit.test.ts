import assert from "node:assert/strict";
import { test } from "node:test";
import { NO_NUMBER, numberText, rewardText } from "./number-text.ts";

test("a negative number has a true minus sign; what rounds to zero has none; a missing one is a dash", () => {
  assert.equal(numberText(-0.5, 2), "\u22120.50");
  assert.equal(numberText(-0.001, 2), "0.00");
  assert.equal(numberText(2 / 3, 3), "0.667");
  assert.equal(numberText(null, 2), NO_NUMBER);
  assert.equal(numberText(Number.NaN, 2), NO_NUMBER);
});

test("rewards read as the verdicts give them: −1.0, 0.0, 0.10, 1.0", () => {
  assert.deepEqual([-1, 0, 0.1, 1].map((reward) => rewardText(reward)), ["\u22121.0", "0.0", "0.10", "1.0"]);
  assert.equal(rewardText(null), NO_NUMBER);
});

test("the CLI's minus is ASCII", () => {
  assert.equal(rewardText(-1, "-"), "-1.0");
  assert.equal(numberText(-0.25, 2, "-"), "-0.25");
});
