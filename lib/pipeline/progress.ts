/** Live progress of a job, computed from its StageRuns: counts, ETA, tokens and cost per stage and per environment. */
import { NotFoundError } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { BATCH_ENVIRONMENT, type GenParams } from "./gen-job.ts";
import { ownerOf, safeParse, type JobKind, type JobOwner } from "./job-store.ts";
import { pricesSet } from "./pricing.ts";
import { regenStages, type RegenParams } from "./regen-job.ts";

export interface Spend {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface StageProgress extends Spend {
  passed: number;
  failed: number;
  running: number;
  attempts: number;
}

export interface EnvironmentProgress extends Spend {
  passed: number;
  failed: number;
  running: number;
  /** "running" until a stage fails or all are done. */
  status: "running" | "failed" | "done";
}

export interface JobProgress {
  id: string;
  kind: JobKind;
  status: string;
  error: string;
  params: unknown;
  createdAt: string;
  finishedAt: string | null;
  owner?: JobOwner;
  /** Stage runs expected in all (an estimate for gen: count × (6 + tasks)). */
  expected: number;
  finished: number;
  elapsedSeconds: number;
  etaSeconds: number | null;
  totals: Spend;
  /** False while no price is set: every costUsd is then 0 for want of a price, shown as unknown. */
  pricesSet: boolean;
  stages: Record<string, StageProgress>;
  environments: Record<string, EnvironmentProgress>;
  summary?: unknown;
}

/** `priced`: whether prices are set, when the caller knows (a list of jobs asks once for all). */
export async function jobProgress(jobId: string, db: StudioTx = studioDb(), priced?: boolean): Promise<JobProgress | undefined> {
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job) return undefined;
  const runs = await db.stageRun.findMany({ where: { jobId }, select: { environmentName: true, stage: true, status: true, attempts: true, promptTokens: true, completionTokens: true, costUsd: true } });
  const stages: Record<string, StageProgress> = {};
  const environments: Record<string, EnvironmentProgress> = {};
  const totals = emptySpend();
  let finished = 0;
  for (const run of runs) {
    const stage = (stages[run.stage] ??= { ...emptySpend(), passed: 0, failed: 0, running: 0, attempts: 0 });
    count(stage, run);
    stage.attempts += run.attempts;
    addSpend(totals, run);
    if (run.status !== "running") finished++;
    if (run.environmentName === BATCH_ENVIRONMENT) continue;
    const environment = (environments[run.environmentName] ??= { ...emptySpend(), passed: 0, failed: 0, running: 0, status: "running" });
    count(environment, run);
  }
  const params = safeParse(job.params);
  const expected = expectedRuns(job.kind as JobKind, params, runs);
  for (const environment of Object.values(environments)) {
    environment.status = environment.failed > 0 ? "failed" : environment.running === 0 && job.status !== "running" ? "done" : "running";
  }
  const elapsedSeconds = ((job.finishedAt ?? new Date()).getTime() - job.createdAt.getTime()) / 1000;
  const etaSeconds = job.status !== "running" ? 0 : finished > 0 ? Math.max(0, (elapsedSeconds / finished) * (expected - finished)) : null;
  const progress = safeParse(job.progress);
  const owner = ownerOf(job.progress);
  return {
    id: job.id,
    kind: job.kind as JobKind,
    status: job.status,
    error: job.error,
    params: { ...params, seeds: undefined },
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    ...(owner && { owner }),
    expected,
    finished,
    elapsedSeconds,
    etaSeconds,
    totals,
    pricesSet: priced ?? (await pricesSet(db)),
    stages,
    environments,
    ...(progress.summary !== undefined && { summary: progress.summary }),
  };
}

/** The job's progress, for a request naming the job: an unknown id is a 404 naming it. */
export async function existingJobProgress(jobId: string, db: StudioTx = studioDb()): Promise<JobProgress> {
  const progress = await jobProgress(jobId, db);
  if (!progress) throw new NotFoundError(`no job ${jobId}`);
  return progress;
}

/** What GET /api/pipeline/jobs answers: the latest jobs, newest first (null where a job vanished meanwhile). */
export interface JobList {
  jobs: (JobProgress | null)[];
}

export async function jobList(): Promise<JobList> {
  return { jobs: (await listJobs()).map((job) => job ?? null) };
}

export async function listJobs(limit = 50, db: StudioTx = studioDb()) {
  const jobs = await db.job.findMany({ orderBy: { createdAt: "desc" }, take: limit, select: { id: true } });
  const priced = await pricesSet(db);
  return Promise.all(jobs.map((job) => jobProgress(job.id, db, priced)));
}

/** Stage runs a job will have made when it ends: scenario batches plus, per environment, 5 stages and one verifier per task. */
function expectedRuns(kind: JobKind, params: Record<string, unknown>, runs: { stage: string; environmentName: string }[]): number {
  if (kind === "rollout") return runs.length; // a rollout job has no stage runs: see lib/agent/rollout-report.ts
  if (kind === "gen") {
    const gen = params as unknown as GenParams;
    const batches = runs.filter((run) => run.environmentName === BATCH_ENVIRONMENT).length;
    return Math.max(runs.length, Math.max(1, batches) + gen.count * (5 + gen.tasks));
  }
  const regen = params as unknown as RegenParams;
  const verifierRuns = runs.filter((run) => run.stage === "verifier").length;
  const stages = regenStages(regen);
  return Math.max(runs.length, stages.filter((stage) => stage !== "verifier").length + (stages.includes("verifier") ? Math.max(1, verifierRuns) : 0));
}

function emptySpend(): Spend {
  return { promptTokens: 0, completionTokens: 0, costUsd: 0 };
}

function addSpend(target: Spend, run: Spend): void {
  target.promptTokens += run.promptTokens;
  target.completionTokens += run.completionTokens;
  target.costUsd += run.costUsd;
}

function count(target: Spend & { passed: number; failed: number; running: number }, run: Spend & { status: string }): void {
  addSpend(target, run);
  if (run.status === "passed") target.passed++;
  // A run stopped for its model call failing ended its job: it counts with the failed, not the running.
  else if (run.status === "failed" || run.status === "stopped") target.failed++;
  else target.running++;
}
