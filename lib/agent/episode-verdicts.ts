/**
 * An episode's verdicts: the code verifier's always and, when a judge model is configured, the LLM
 * judge's (sql mode, the very path of `awm-studio verify --mode sql`). The run's `reward` setting
 * picks the one that counts: it is stored last, so it also heads the trajectory (its classification
 * and reward), and its judge_error makes the episode an infrastructure failure.
 */
import { InvalidInputError } from "../errors.ts";
import { judgeModelMissing, tasksWithoutVerifier } from "../verify/judge-modes.ts";
import type { VerifierMode } from "../awm/types.ts";
import { verifyTrajectory } from "../verify/verify-trajectory.ts";
import { InfraFailure } from "./infra-failure.ts";
import type { RewardSource } from "./settings.ts";

export type CountedVerdict = { classification: string; reward: number; failure?: undefined } | { classification: string; reward: null; failure: InfraFailure };

/** The verdict mode a reward source reads. */
export function rewardMode(reward: RewardSource): VerifierMode {
  return reward === "judge" ? "sql" : "code";
}

/** `judged`: whether the LLM judge judges this episode too (see EpisodeSetup.judged); the code verifier always does. */
export async function judgeEpisode(trajectoryId: string, reward: RewardSource, judged: boolean): Promise<CountedVerdict> {
  const counted = rewardMode(reward);
  const other: VerifierMode = counted === "code" ? "sql" : "code";
  const extra = other === "code" || judged ? [other] : [];
  for (const mode of extra) await verifyTrajectory(trajectoryId, mode);
  const verdict = await verifyTrajectory(trajectoryId, counted);
  if (verdict.classification !== "judge_error") return { classification: verdict.classification, reward: verdict.reward };
  return { classification: verdict.classification, reward: null, failure: new InfraFailure(counted === "code" ? "verifier" : "judge", verdict.error) };
}

/** Whether the LLM judge can judge a run's tasks: the judge model's absence (why), and the tasks without a sql-mode verifier. */
export interface JudgeReadiness {
  judgeMissing: string | undefined;
  withoutSqlVerifier: number[];
}

export async function judgeReadiness(environmentName: string, tasks: readonly number[]): Promise<JudgeReadiness> {
  return { judgeMissing: await judgeModelMissing(), withoutSqlVerifier: await tasksWithoutVerifier(environmentName, "sql", [...tasks]) };
}

/**
 * A run that counts the judge's verdict needs a judge model and, for each task, a sql-mode verifier
 * (the judge reads its evidence): say what is missing before anything runs, not after every episode.
 */
export async function requireJudgeFor(reward: RewardSource, environmentName: string, tasks: readonly number[], readiness?: JudgeReadiness): Promise<void> {
  if (reward !== "judge") return;
  const { judgeMissing, withoutSqlVerifier } = readiness ?? (await judgeReadiness(environmentName, tasks));
  if (judgeMissing) throw new InvalidInputError(`the reward "judge" counts the LLM judge's verdict, but no judge model is configured: ${judgeMissing}`);
  if (withoutSqlVerifier.length > 0) {
    throw new InvalidInputError(`the reward "judge" counts the LLM judge's verdict, which needs a sql-mode verifier (gen_verifier.jsonl), and ${environmentName} has none for task${withoutSqlVerifier.length === 1 ? "" : "s"} ${withoutSqlVerifier.join(", ")}: count the code verifier's verdict (reward "code") instead`);
  }
}
