/** A rollout job's results: per task, each rollout with its reward and advantage, and the group's statistics. */
import { safeParse } from "../pipeline/job-store.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import type { RolloutParams } from "./rollout-job.ts";
import { groupStatistics } from "./stats.ts";

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
  zeroVariance: boolean;
  passAtK: Record<string, number>;
  passHatK: Record<string, number>;
  infraFailures: number;
}

export interface RolloutReport {
  job: string;
  environment: string;
  tasks: TaskReport[];
  summary: {
    status: string;
    error: string;
    group: number;
    episodes: number;
    finished: number;
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
    select: { id: true, taskIdx: true, rollout: true, reward: true, verdictClass: true, infraError: true, agentStatus: true },
  });
  const steps = await db.trajectoryStep.findMany({ where: { trajectory: { jobId } }, select: { trajectoryId: true, llmCallId: true, malformed: true, promptTokens: true, completionTokens: true } });
  const count = (id: string, keep: (step: (typeof steps)[number]) => boolean) => steps.filter((step) => step.trajectoryId === id && keep(step)).length;
  const tasks = params.tasks.map((taskIdx): TaskReport => {
    const rollouts = rows
      .filter((row) => row.taskIdx === taskIdx)
      .map((row): RolloutRow => {
        const infra = row.agentStatus === "infra_failure";
        return {
          rollout: row.rollout ?? 0,
          trajectoryId: row.id,
          reward: infra ? null : row.reward,
          classification: row.verdictClass,
          advantage: null,
          turns: count(row.id, (step) => step.llmCallId !== null),
          malformed: count(row.id, (step) => step.malformed),
          infraFailure: infra ? row.infraError : null,
        };
      });
    const rewarded = rollouts.filter((row): row is RolloutRow & { reward: number } => row.reward !== null);
    const stats = groupStatistics(rewarded.map((row) => row.reward));
    rewarded.forEach((row, index) => (row.advantage = stats.advantages[index] ?? 0));
    return { taskIdx, rollouts, mean: stats.mean, std: stats.std, zeroVariance: stats.zeroVariance, passAtK: stats.passAtK, passHatK: stats.passHatK, infraFailures: rollouts.length - rewarded.length };
  });
  const episodes = params.tasks.length * params.group;
  const rewards = tasks.flatMap((task) => task.rollouts.flatMap((row) => (row.reward === null ? [] : [row.reward])));
  const elapsedSeconds = ((job.finishedAt ?? new Date()).getTime() - job.createdAt.getTime()) / 1000;
  const running = job.status === "running" || job.status === "queued";
  return {
    job: job.id,
    environment: params.environment,
    tasks,
    summary: {
      status: job.status,
      error: job.error,
      group: params.group,
      episodes,
      finished: rows.length,
      infraFailures: tasks.reduce((sum, task) => sum + task.infraFailures, 0),
      meanReward: rewards.length ? rewards.reduce((sum, reward) => sum + reward, 0) / rewards.length : null,
      zeroVarianceTasks: tasks.filter((task) => task.zeroVariance && task.rollouts.length === params.group).map((task) => task.taskIdx),
      promptTokens: steps.reduce((sum, step) => sum + (step.promptTokens ?? 0), 0),
      completionTokens: steps.reduce((sum, step) => sum + (step.completionTokens ?? 0), 0),
      elapsedSeconds,
      etaSeconds: !running ? 0 : rows.length > 0 ? (elapsedSeconds / rows.length) * (episodes - rows.length) : null,
    },
  };
}
