/**
 * Runs jobs in this process: one promise per job in a registry on globalThis (so a Next dev reload
 * keeps it), a heartbeat while it runs, and resumption of jobs whose owner process died.
 */
import { runRolloutJob, type RolloutParams, type RolloutSummary } from "../agent/rollout-job.ts";
import { studioDb } from "../store/db.ts";
import { pipelineContext } from "./context.ts";
import { runGenJob, type GenParams, type GenSummary } from "./gen-job.ts";
import { claimJob, createJobRow, finishJobRow, heartbeat, HEARTBEAT_MS, ownerAlive, ownerOf, type JobKind } from "./job-store.ts";
import { runRegenJob, type RegenParams } from "./regen-job.ts";
import type { FlowResult } from "./environment-flow.ts";
import type { StageEvent } from "./stage-loop.ts";

export type JobSummary = GenSummary | FlowResult | RolloutSummary;
export type JobParams = GenParams | RegenParams | RolloutParams;

interface JobOutcome {
  status: "finished" | "failed" | "cancelled";
  summary?: JobSummary;
  error?: string;
}

export interface JobHandle {
  jobId: string;
  kind: JobKind;
  params: JobParams;
  done: Promise<JobOutcome>;
}

type Listener = (jobId: string, event: StageEvent) => void;

interface Registry {
  running: Map<string, JobHandle>;
  listeners: Set<Listener>;
  resumed: boolean;
}

const registry: Registry = ((globalThis as { awmStudioJobs?: Registry }).awmStudioJobs ??= { running: new Map(), listeners: new Set(), resumed: false });

/** Hears every stage event of every job run by this process (CLI progress lines, SSE). Returns the unsubscribe. */
export function onStageEvent(listener: Listener): () => void {
  registry.listeners.add(listener);
  return () => registry.listeners.delete(listener);
}

export async function startGenJob(params: GenParams): Promise<JobHandle> {
  const job = await createJobRow("gen", params);
  return run(job.id, "gen", params);
}

export async function startRegenJob(params: RegenParams): Promise<JobHandle> {
  const job = await createJobRow("regen", params);
  return run(job.id, "regen", params);
}

export async function startRolloutJob(params: RolloutParams): Promise<JobHandle> {
  const job = await createJobRow("rollout", params);
  return run(job.id, "rollout", params);
}

export function runningJob(jobId: string): JobHandle | undefined {
  return registry.running.get(jobId);
}

/**
 * Resumes every job left "running" or "queued" by a process that is gone. Stages that finished are
 * not run again and stored attempts are kept (see stage-loop.ts). Returns the handles of the jobs taken over.
 */
export async function resumeJobs(): Promise<JobHandle[]> {
  const db = studioDb();
  const candidates = await db.job.findMany({ where: { status: { in: ["running", "queued"] } }, orderBy: { createdAt: "asc" } });
  const handles: JobHandle[] = [];
  for (const job of candidates) {
    if (registry.running.has(job.id) || ownerAlive(ownerOf(job.progress))) continue;
    if (!(await claimJob(job, db))) continue;
    handles.push(run(job.id, job.kind as JobKind, JSON.parse(job.params) as JobParams));
  }
  return handles;
}

/** For servers: resume orphaned jobs once per process, in the background. */
export function ensureJobsResumed(): void {
  if (registry.resumed) return;
  registry.resumed = true;
  resumeJobs().catch((error: Error) => console.error(`awm-studio: resuming jobs failed: ${error.message}`));
}

function run(jobId: string, kind: JobKind, params: JobParams): JobHandle {
  const beat = setInterval(() => void heartbeat(jobId).catch(() => undefined), HEARTBEAT_MS);
  beat.unref();
  const done = (async (): Promise<JobOutcome> => {
    try {
      const outcome = await execute(jobId, kind, params);
      await finishJobRow(jobId, { status: outcome.status, summary: outcome.summary, ...(outcome.error && { error: outcome.error }) });
      return outcome;
    } catch (error) {
      const message = (error as Error).message;
      await finishJobRow(jobId, { status: "failed", error: message, summary: null }).catch(() => undefined);
      return { status: "failed" as const, error: message };
    } finally {
      clearInterval(beat);
      registry.running.delete(jobId);
    }
  })();
  const handle = { jobId, kind, params, done };
  registry.running.set(jobId, handle);
  return handle;
}

async function execute(jobId: string, kind: JobKind, params: JobParams): Promise<JobOutcome> {
  if (kind === "rollout") {
    const summary = await runRolloutJob(jobId, params as RolloutParams);
    return { status: summary.cancelled ? "cancelled" : "finished", summary };
  }
  const context = await pipelineContext(jobId, params as GenParams | RegenParams, (event) => {
    for (const listener of registry.listeners) listener(jobId, event);
  });
  if (kind === "gen") return { status: "finished", summary: await runGenJob(context, params as GenParams) };
  const summary = await runRegenJob(context, params as RegenParams);
  if (summary.failedStage === undefined) return { status: "finished", summary };
  return { status: "failed", summary, error: `stage ${summary.failedStage} failed: ${summary.errors.join("\n")}` };
}
