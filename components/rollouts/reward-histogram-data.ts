import type { TaskReport } from "@/lib/agent/rollout-report";

export interface RewardBin {
  /** The reward as shown on the axis. */
  reward: string;
  count: number;
}

/** Rollouts per distinct reward (ascending), over the given tasks; infrastructure failures have no reward and are left out. */
export function rewardHistogram(tasks: TaskReport[]): RewardBin[] {
  const counts = new Map<number, number>();
  for (const task of tasks) {
    for (const row of task.rollouts) if (row.reward !== null) counts.set(row.reward, (counts.get(row.reward) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => a - b).map(([reward, count]) => ({ reward: String(reward), count }));
}
