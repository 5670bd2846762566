/**
 * Runs jobs in this process: one promise per job in a registry on globalThis (so a Next dev reload
 * keeps it), a heartbeat while it runs, and resumption of jobs whose owner process died.
 */
import { studioDb } from "../store/db.ts";
import { pipelineContext } from "./context.ts";
import { runGenJob, type GenParams } from "./gen-job.ts";
import {
  claimJob,
  createJobRow,
  finishJobRow,
  heartbeat,
  HEARTBEAT_MS,
  MAX_RESUMES,
  ownerAlive,
  ownerOf,
  reopenJob,
  RESUMABLE_STATUSES,
  resumesOf,
  type JobKind,
  type JobStatus,
} from "./job-store.ts";
import { runRegenJob, type RegenParams } from "./regen-job.ts";
import type { StageEvent } from "./stage-loop.ts";
import { ConflictError, messageOf, NotFoundError } from "../errors.ts";

export interface JobOutcome {
  status: "finished" | "failed" | "cancelled";
  /** Stored as the job's summary (JSON). */
  summary?: unknown;
  error?: string;
}

/** What a route answers when it starts a job in the background: the id to follow it by. */
export interface JobStarted {
  jobId: string;
}

export interface JobHandle {
  jobId: string;
  kind: JobKind;
  /** As the job was started with (its kind's own shape). */
  params: unknown;
  done: Promise<JobOutcome>;
}

/** Runs one job of a kind; `emit` hands stage events to this process's listeners. */
export type JobExecutor = (jobId: string, params: unknown, emit: (event: StageEvent) => void) => Promise<JobOutcome>;

type Listener = (jobId: string, event: StageEvent) => void;

interface Registry {
  running: Map<string, JobHandle>;
  listeners: Set<Listener>;
  /** Job kinds this process can run: the pipeline's own, and those other folders register (rollout). */
  executors: Map<JobKind, JobExecutor>;
  /** Kinds whose orphaned jobs this process has resumed already. */
  resumedKinds: Set<JobKind>;
}

const registry: Registry = ((globalThis as { awmStudioJobs?: Registry }).awmStudioJobs ??= {
  running: new Map(),
  listeners: new Set(),
  executors: new Map(),
  resumedKinds: new Set(),
});

/**
 * Lets this process run (and resume) jobs of `kind`: the folder that owns a kind registers it when
 * it is loaded, so the runner depends on no kind's folder.
 */
export function registerJobKind(kind: JobKind, executor: JobExecutor): void {
  registry.executors.set(kind, executor);
}

/** Hears every stage event of every job run by this process (CLI progress lines, SSE). Returns the unsubscribe. */
export function onStageEvent(listener: Listener): () => void {
  registry.listeners.add(listener);
  return () => registry.listeners.delete(listener);
}

/** Stores a job of a registered kind and runs it in this process. */
export async function startJob(kind: JobKind, params: unknown): Promise<JobHandle> {
  if (!registry.executors.has(kind)) throw new Error(`no runner for ${kind} jobs is loaded in this process`);
  const job = await createJobRow(kind, params);
  return run(job.id, kind, params);
}

export const startGenJob = (params: GenParams): Promise<JobHandle> => startJob("gen", params);

export const startRegenJob = (params: RegenParams): Promise<JobHandle> => startJob("regen", params);

export function runningJob(jobId: string): JobHandle | undefined {
  return registry.running.get(jobId);
}

/**
 * Resumes every job of a registered kind left "running" or "queued" by a process that is gone, or
 * only those `wanted` picks (a CLI command resumes its own run, not every other one). Stages that
 * finished are not run again and stored attempts are kept (see stage-loop.ts). Returns the handles of
 * the jobs taken over.
 */
export async function resumeJobs(wanted: (job: { kind: JobKind; params: unknown }) => boolean = () => true): Promise<JobHandle[]> {
  const handles: JobHandle[] = [];
  const db = studioDb();
  for (const job of await orphanedJobs()) {
    if (!wanted({ kind: job.kind as JobKind, params: JSON.parse(job.params) as unknown })) continue;
    if (resumesOf(job.progress) >= MAX_RESUMES) {
      const error = `not resumed: the studio process running it died ${MAX_RESUMES + 1} times (a job that takes its process down, out of memory for one); start it again to retry`;
      await finishJobRow(job.id, { status: "failed", error, summary: null }, db);
      continue;
    }
    if (!(await claimJob(job, db))) continue;
    handles.push(run(job.id, job.kind as JobKind, JSON.parse(job.params) as unknown));
  }
  return handles;
}

/**
 * Runs an ended job (failed, cancelled or finished) again in this process, or takes over one whose
 * process died: it does only what is left (a rollout job plays the rollouts it has not finished).
 */
export async function resumeJob(jobId: string): Promise<JobHandle> {
  const db = studioDb();
  const found = await db.job.findUnique({ where: { id: jobId } });
  if (!found) throw new NotFoundError(`no job ${jobId}`);
  const kind = found.kind as JobKind;
  if (!registry.executors.has(kind)) throw new Error(`no runner for ${kind} jobs is loaded in this process`);
  const live = registry.running.get(jobId);
  if (live) {
    // Still running here: that run is the job. Cancelled, it is winding down: the resume follows once it has ended.
    if (found.status !== "cancelled") return live;
    await live.done;
  }
  const job = live ? await db.job.findUniqueOrThrow({ where: { id: jobId } }) : found;
  const ownerGone = !registry.running.has(jobId) && !ownerAlive(ownerOf(job.progress));
  const orphaned = (job.status === "running" || job.status === "queued") && ownerGone;
  const taken = orphaned ? await claimJob(job, db) : RESUMABLE_STATUSES.includes(job.status as JobStatus) && (await reopenJob(job, ownerGone, db));
  if (!taken) {
    const why =
      job.status === "cancelled" && job.finishedAt === null
        ? "is cancelled and still stopping in another process (its episodes in play end before their next turn): resume it once it has stopped"
        : `is ${job.status}${job.status === "running" ? " in another process" : ""}: only an ended job, or one whose process died, can be resumed`;
    throw new ConflictError(`job ${jobId} ${why}`);
  }
  return run(jobId, kind, JSON.parse(job.params) as unknown);
}

/** Jobs of a registered kind left "running" or "queued" by a process that is gone, oldest first. */
export async function orphanedJobs() {
  const kinds = [...registry.executors.keys()];
  const candidates = await studioDb().job.findMany({ where: { status: { in: ["running", "queued"] }, kind: { in: kinds } }, orderBy: { createdAt: "asc" } });
  return candidates.filter((job) => !registry.running.has(job.id) && !ownerAlive(ownerOf(job.progress)));
}

/** For servers: resume orphaned jobs of each kind once per process (kinds registered since included), in the background. */
export function ensureJobsResumed(): void {
  const fresh = [...registry.executors.keys()].filter((kind) => !registry.resumedKinds.has(kind));
  if (fresh.length === 0) return;
  for (const kind of fresh) registry.resumedKinds.add(kind);
  resumeJobs().catch((error: unknown) => console.error(`awm-studio: resuming jobs failed: ${messageOf(error)}`));
}

function run(jobId: string, kind: JobKind, params: unknown): JobHandle {
  const beat = setInterval(() => void heartbeat(jobId).catch(() => undefined), HEARTBEAT_MS);
  beat.unref();
  const done = (async (): Promise<JobOutcome> => {
    try {
      const outcome = await execute(jobId, kind, params);
      await finishJobRow(jobId, { status: outcome.status, summary: outcome.summary, ...(outcome.error && { error: outcome.error }) });
      return outcome;
    } catch (error) {
      const message = messageOf(error);
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

function execute(jobId: string, kind: JobKind, params: unknown): Promise<JobOutcome> {
  const executor = registry.executors.get(kind);
  if (!executor) throw new Error(`no runner for ${kind} jobs is loaded in this process`);
  return executor(jobId, params, (event) => {
    for (const listener of registry.listeners) listener(jobId, event);
  });
}

async function pipelineJob(jobId: string, params: GenParams | RegenParams, emit: (event: StageEvent) => void, gen: boolean): Promise<JobOutcome> {
  const context = await pipelineContext(jobId, params, emit);
  if (gen) {
    const summary = await runGenJob(context, params as GenParams);
    const broken = new Set(summary.failures.map((failure) => failure.environment));
    if (summary.environments.some((name) => !broken.has(name))) return { status: "finished", summary };
    // Not one environment came out whole: the job failed, whatever it ran.
    return { status: "failed", summary, error: summary.failures.map((failure) => `${failure.environment}${failure.stage ? ` (${failure.stage})` : ""}: ${failure.errors.join("\n")}`).join("\n") || "no environment was generated" };
  }
  const summary = await runRegenJob(context, params as RegenParams);
  if (summary.failedStage === undefined) return { status: "finished", summary };
  return { status: "failed", summary, error: `stage ${summary.failedStage} failed: ${summary.errors.join("\n")}` };
}

registerJobKind("gen", (jobId, params, emit) => pipelineJob(jobId, params as GenParams, emit, true));
registerJobKind("regen", (jobId, params, emit) => pipelineJob(jobId, params as RegenParams, emit, false));
