import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hasReward, rewardFor, trainingReward, verdictLabel, type VerdictClass } from "./verdict.ts";

describe("verdict rewards", () => {
  test("judge classes and code-mode classes get AWM's rewards", () => {
    const classes: VerdictClass[] = ["complete", "incomplete", "agent_error", "server_error", "others"];
    assert.deepEqual(
      classes.map((c) => [c, rewardFor(c), trainingReward(c)]),
      [
        ["complete", 1, 1],
        ["incomplete", 0.1, 0.1],
        ["agent_error", 0, 0],
        ["server_error", 0, 0],
        ["others", 0, 0],
      ],
    );
  });

  test("a judge_error is stored as 0 but has no training reward", () => {
    assert.equal(rewardFor("judge_error"), 0);
    assert.equal(hasReward("judge_error"), false);
    assert.equal(trainingReward("judge_error"), null);
  });

  test("code mode's others reads as 'not complete'", () => {
    assert.equal(verdictLabel("others"), "not complete");
  });
});
