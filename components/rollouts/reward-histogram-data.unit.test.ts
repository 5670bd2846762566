import assert from "node:assert/strict";
import { test } from "node:test";
import type { RolloutRow, TaskReport } from "../../lib/agent/rollout-report.ts";
import { rewardHistogram } from "./reward-histogram-data.ts";

function task(taskIdx: number, rewards: (number | null)[]): TaskReport {
  const rollouts: RolloutRow[] = rewards.map((reward, rollout) => ({ rollout, trajectoryId: `t${taskIdx}-${rollout}`, reward, classification: null, advantage: null, turns: 1, malformed: 0, infraFailure: reward === null ? "down" : null }));
  return { taskIdx, rollouts, mean: null, std: null, zeroVariance: false, passAtK: {}, passHatK: {}, infraFailures: 0, playing: [] };
}

test("one bin per distinct reward, ascending, infrastructure failures left out", () => {
  assert.deepEqual(rewardHistogram([task(0, [1, 0, 1, null]), task(1, [-1, 0.1, 1])]), [
    { reward: "\u22121.0", count: 1 },
    { reward: "0.0", count: 1 },
    { reward: "0.10", count: 1 },
    { reward: "1.0", count: 3 },
  ]);
  assert.deepEqual(rewardHistogram([]), []);
});

test("a task drawn on the job's axis has an empty bin for each reward only other tasks got", () => {
  const tasks = [task(0, [1, 1, null]), task(1, [-1, 0, 1])];
  assert.deepEqual(rewardHistogram([tasks[0]!], tasks), [
    { reward: "\u22121.0", count: 0 },
    { reward: "0.0", count: 0 },
    { reward: "1.0", count: 2 },
  ]);
});
