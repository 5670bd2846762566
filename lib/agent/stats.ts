/**
 * A task's rollout group as GRPO sees it. Only rollouts with a reward count: infrastructure
 * failures are left out (never scored 0). std is the sample standard deviation (n − 1), as GRPO
 * implementations compute it; a rollout succeeds when its reward is 1 (complete).
 */
export interface GroupStatistics {
  /** Rollouts with a reward. */
  n: number;
  successes: number;
  mean: number | null;
  std: number | null;
  /** (r − mean) / std per rewarded rollout, in order; 0 when std is 0. */
  advantages: number[];
  /** All rewards equal: the group teaches nothing. */
  zeroVariance: boolean;
  /** Unbiased pass@k for k = 1..n: the chance that at least one of k rollouts drawn succeeds. */
  passAtK: Record<string, number>;
  /** Unbiased pass^k for k = 1..n: the chance that all of k rollouts drawn succeed. */
  passHatK: Record<string, number>;
}

export const SUCCESS_REWARD = 1;

/** The rewards of every rollout of these tasks, in order; infrastructure failures (no reward) are left out. */
export function rewardsOf(tasks: { rollouts: { reward: number | null }[] }[]): number[] {
  return tasks.flatMap((task) => task.rollouts.flatMap((row) => (row.reward === null ? [] : [row.reward])));
}

export function groupStatistics(rewards: number[]): GroupStatistics {
  const n = rewards.length;
  const successes = rewards.filter((reward) => reward >= SUCCESS_REWARD).length;
  if (n === 0) return { n, successes, mean: null, std: null, advantages: [], zeroVariance: false, passAtK: {}, passHatK: {} };
  const mean = rewards.reduce((sum, reward) => sum + reward, 0) / n;
  const std = n > 1 ? Math.sqrt(rewards.reduce((sum, reward) => sum + (reward - mean) ** 2, 0) / (n - 1)) : 0;
  const passAtK: Record<string, number> = {};
  const passHatK: Record<string, number> = {};
  for (let k = 1; k <= n; k++) {
    passAtK[k] = 1 - choose(n - successes, k) / choose(n, k);
    passHatK[k] = choose(successes, k) / choose(n, k);
  }
  return {
    n,
    successes,
    mean,
    std,
    advantages: rewards.map((reward) => (std > 0 ? (reward - mean) / std : 0)),
    zeroVariance: rewards.every((reward) => reward === rewards[0]),
    passAtK,
    passHatK,
  };
}

/** Binomial coefficient; 0 when k > n. */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let value = 1;
  for (let i = 1; i <= k; i++) value = (value * (n - k + i)) / i;
  return value;
}
