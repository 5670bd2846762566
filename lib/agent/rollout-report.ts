/**
 * A rollout job's results: per task, each rollout with its reward and advantage, and the group's
 * statistics. A rollout's reward is the latest verdict of the mode its job counts (settings.reward),
 * never simply the trajectory's newest one: a later re-judge in the other mode leaves it alone.
 */
import { runningJob } from "../pipeline/job-runner.ts";
import { ownerAlive, ownerOf, safeParse } from "../pipeline/job-store.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { FORMAT_ERROR } from "../awm/verdict.ts";
import { rewardMode } from "./episode-verdicts.ts";
import type { RolloutParams } from "./rollout-job.ts";
import type { AgentSettings, RewardSource } from "./settings.ts";
import { groupStatistics, rewardsOf } from "./stats.ts";

export interface RolloutRow {
  rollout: number;
  trajectoryId: string;
  reward: number | null;
  classification: string | null;
  /** null for an infrastructure failure (left out of the statistics). */
  advantage: number | null;
  turns: number;
  malformed: number;
  infraFailure: string | null;
}

export interface TaskReport {
  taskIdx: number;
  rollouts: RolloutRow[];
  mean: number | null;
  std: number | null;
  /** Every rollout of the group played, and all that got a reward got the same one. */
  zeroVariance: boolean;
  passAtK: Record<string, number>;
  passHatK: Record<string, number>;
  infraFailures: number;
  /** Rollouts of the task in play in this process now (not in `rollouts` until they end). */
  playing: number[];
}

export interface RolloutReport {
  job: string;
  environment: string;
  /** The agent's settings the job plays with. */
  settings: AgentSettings;
  tasks: TaskReport[];
  summary: {
    status: string;
    error: string;
    group: number;
    /** Which verdict the rewards are: the code verifier's or the LLM judge's. */
    reward: RewardSource;
    /** The agent models that played its episodes so far (one, unless the job was resumed under another). */
    models: string[];
    episodes: number;
    finished: number;
    /** Episodes playing in this process now: after a cancel, those in play finish (and are judged) before the job ends. */
    playing: number;
    infraFailures: number;
    meanReward: number | null;
    zeroVarianceTasks: number[];
    promptTokens: number;
    completionTokens: number;
    elapsedSeconds: number;
    etaSeconds: number | null;
  };
}

export async function rolloutReport(jobId: string, db: StudioTx = studioDb()): Promise<RolloutReport | undefined> {
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job || job.kind !== "rollout") return undefined;
  const params = safeParse(job.params) as unknown as RolloutParams;
  const rows = await db.trajectory.findMany({
    where: { jobId, agentStatus: { not: "running" } },
    orderBy: [{ taskIdx: "asc" }, { rollout: "asc" }],
    select: { id: true, taskIdx: true, rollout: true, infraError: true, agentStatus: true, model: true },
  });
  const reward = params.settings.reward ?? "code"; // jobs from before the setting counted the code verifier
  const counted = await countedVerdicts(jobId, reward, db);
  const steps = await db.trajectoryStep.findMany({ where: { trajectory: { jobId } }, select: { trajectoryId: true, llmCallId: true, malformed: true, promptTokens: true, completionTokens: true } });
  const count = (id: string, keep: (step: (typeof steps)[number]) => boolean) => steps.filter((step) => step.trajectoryId === id && keep(step)).length;
  // Only a job this process runs has episodes in play: a row left "running" by a dead process is not playing.
  const inPlay = runningJob(jobId) ? await db.trajectory.findMany({ where: { jobId, agentStatus: "running" }, select: { taskIdx: true, rollout: true } }) : [];
  const tasks = params.tasks.map((taskIdx): TaskReport => {
    const rollouts = rows
      .filter((row) => row.taskIdx === taskIdx)
      .map((row): RolloutRow => {
        const infra = row.agentStatus === "infra_failure";
        const verdict = counted.get(row.id);
        return {
          rollout: row.rollout ?? 0,
          trajectoryId: row.id,
          reward: infra ? null : (verdict?.reward ?? null),
          classification: verdict?.classification ?? null,
          advantage: null,
          turns: count(row.id, (step) => step.llmCallId !== null),
          malformed: count(row.id, (step) => step.malformed),
          infraFailure: infra ? row.infraError : null,
        };
      });
    const rewarded = rollouts.filter((row): row is RolloutRow & { reward: number } => row.reward !== null);
    const stats = groupStatistics(rewarded.map((row) => row.reward));
    rewarded.forEach((row, index) => (row.advantage = stats.advantages[index] ?? 0));
    // Said of a whole group only: while rollouts are still to play, equal rewards so far say nothing yet.
    const zeroVariance = stats.zeroVariance && rollouts.length === params.group;
    const playing = inPlay.flatMap((row) => (row.taskIdx === taskIdx && row.rollout !== null ? [row.rollout] : [])).sort((a, b) => a - b);
    return { taskIdx, rollouts, mean: stats.mean, std: stats.std, zeroVariance, passAtK: stats.passAtK, passHatK: stats.passHatK, infraFailures: rollouts.length - rewarded.length, playing };
  });
  const episodes = params.tasks.length * params.group;
  const rewards = rewardsOf(tasks);
  const elapsedSeconds = ((job.finishedAt ?? new Date()).getTime() - job.createdAt.getTime()) / 1000;
  // A job "running" whose process is gone plays no more until the command that started it runs again (or a studio starts).
  const interrupted = (job.status === "running" || job.status === "queued") && !runningJob(job.id) && !ownerAlive(ownerOf(job.progress));
  const running = !interrupted && (job.status === "running" || job.status === "queued");
  return {
    job: job.id,
    environment: params.environment,
    settings: params.settings,
    tasks,
    summary: {
      status: interrupted ? "interrupted" : job.status,
      error: job.error,
      group: params.group,
      reward,
      models: [...new Set(rows.map((row) => row.model))].sort(),
      episodes,
      finished: rows.length,
      playing: inPlay.length,
      infraFailures: tasks.reduce((sum, task) => sum + task.infraFailures, 0),
      meanReward: rewards.length ? rewards.reduce((sum, reward) => sum + reward, 0) / rewards.length : null,
      zeroVarianceTasks: tasks.filter((task) => task.zeroVariance).map((task) => task.taskIdx),
      promptTokens: steps.reduce((sum, step) => sum + (step.promptTokens ?? 0), 0),
      completionTokens: steps.reduce((sum, step) => sum + (step.completionTokens ?? 0), 0),
      elapsedSeconds,
      etaSeconds: interrupted ? null : !running ? 0 : rows.length > 0 ? (elapsedSeconds / rows.length) * (episodes - rows.length) : null,
    },
  };
}

/** Per trajectory of the job, the verdict its reward is: the counted mode's latest, a format error whatever the mode. */
async function countedVerdicts(jobId: string, reward: RewardSource, db: StudioTx): Promise<Map<string, { classification: string; reward: number }>> {
  const verdicts = await db.verdict.findMany({
    where: { trajectory: { jobId }, OR: [{ mode: rewardMode(reward) }, { classification: FORMAT_ERROR }] },
    orderBy: { createdAt: "asc" },
    select: { trajectoryId: true, classification: true, reward: true },
  });
  const latest = new Map<string, { classification: string; reward: number }>();
  // A judge_error stands only while nothing better exists (as the trajectory's own headline does).
  for (const verdict of verdicts) if (verdict.classification !== "judge_error" || !latest.has(verdict.trajectoryId)) latest.set(verdict.trajectoryId, verdict);
  return latest;
}
