import type { TaskReport } from "@/lib/agent/rollout-report";
import { rewardsOf } from "@/lib/agent/stats";
import { rewardText } from "@/lib/number-text";

export interface RewardBin {
  /** The reward as shown on the axis. */
  reward: string;
  count: number;
}

/**
 * Rollouts of the given tasks per reward, one bin per distinct reward of `axis` (ascending, by
 * default the tasks' own): a task drawn on the job's axis shows an empty bin where the others have
 * rewards it has none of, so two histograms side by side line up. Infrastructure failures have no
 * reward and are left out.
 */
export function rewardHistogram(tasks: TaskReport[], axis: TaskReport[] = tasks): RewardBin[] {
  const counts = new Map<number, number>();
  for (const reward of rewardsOf(axis)) counts.set(reward, 0);
  for (const reward of rewardsOf(tasks)) counts.set(reward, (counts.get(reward) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a - b).map(([reward, count]) => ({ reward: rewardText(reward), count }));
}
