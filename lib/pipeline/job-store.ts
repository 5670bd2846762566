/**
 * Job rows: a generation run persisted so that another process can resume it when its owner died.
 * The owner (host, pid, heartbeat; see store/process-owner.ts) lives in Job.progress.
 */
import { studioDb, type StudioTx } from "../store/db.ts";
import { thisOwner, type ProcessOwner } from "../store/process-owner.ts";

export { HEARTBEAT_MS, ORPHAN_AFTER_MS, ownerAlive, ownerOf, thisOwner } from "../store/process-owner.ts";

export type JobKind = "gen" | "regen" | "rollout";
export type JobStatus = "queued" | "running" | "finished" | "failed" | "cancelled";

export type JobOwner = ProcessOwner;

export async function createJobRow(kind: JobKind, params: unknown, db: StudioTx = studioDb()) {
  return db.job.create({ data: { kind, status: "running", params: JSON.stringify(params), progress: JSON.stringify({ owner: thisOwner() }) } });
}

/**
 * Times a job is taken over from a process that died while running it before it is left failed:
 * a job that takes its process down (out of memory) would otherwise take every studio start down.
 */
export const MAX_RESUMES = 3;

/** How many times the job was taken over from a process that died running it. */
export function resumesOf(progress: string): number {
  const resumes = safeParse(progress).resumes;
  return typeof resumes === "number" ? resumes : 0;
}

/** Takes over an orphaned job; false when another process claimed it first (compare-and-set on updatedAt). */
export async function claimJob(job: { id: string; updatedAt: Date; progress: string }, db: StudioTx = studioDb()): Promise<boolean> {
  const progress = { ...safeParse(job.progress), owner: thisOwner(), resumes: resumesOf(job.progress) + 1 };
  const { count } = await db.job.updateMany({ where: { id: job.id, updatedAt: job.updatedAt }, data: { status: "running", progress: JSON.stringify(progress) } });
  return count === 1;
}

export async function heartbeat(jobId: string, db: StudioTx = studioDb()): Promise<void> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { progress: true } });
  if (!job) return;
  await db.job.update({ where: { id: jobId }, data: { progress: JSON.stringify({ ...safeParse(job.progress), owner: thisOwner() }) } });
}

export async function finishJobRow(jobId: string, outcome: { status: JobStatus; error?: string; summary: unknown }, db: StudioTx = studioDb()) {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { progress: true } });
  await db.job.update({
    where: { id: jobId },
    data: {
      status: outcome.status,
      error: outcome.error ?? "",
      finishedAt: new Date(),
      progress: JSON.stringify({ ...safeParse(job?.progress ?? "{}"), summary: outcome.summary }),
    },
  });
}

/** Jobs that ended and may be run again to do what they left undone. */
export const RESUMABLE_STATUSES: readonly JobStatus[] = ["failed", "cancelled", "finished"];

/**
 * Marks an ended job running again, owned by this process, as `job` was read (compare-and-set: two
 * resumes, one wins). Ended means its run returned (finishedAt is set) or, with `ownerGone`, that its
 * process died: never a job cancelled while its run still winds down, which would then run twice.
 * The last run's summary goes: the new run writes its own.
 */
export async function reopenJob(job: { id: string; updatedAt: Date; progress: string }, ownerGone: boolean, db: StudioTx = studioDb()): Promise<boolean> {
  const { summary: _lastRun, ...kept } = safeParse(job.progress);
  const progress = { ...kept, owner: thisOwner() };
  const { count } = await db.job.updateMany({
    where: { id: job.id, updatedAt: job.updatedAt, status: { in: [...RESUMABLE_STATUSES] }, ...(!ownerGone && { finishedAt: { not: null } }) },
    data: { status: "running", error: "", finishedAt: null, progress: JSON.stringify(progress) },
  });
  return count === 1;
}

/** Asks a running job to stop; it ends as "cancelled" at its next check. False when it was not running. */
export async function cancelJob(jobId: string, db: StudioTx = studioDb()): Promise<boolean> {
  const { count } = await db.job.updateMany({ where: { id: jobId, status: { in: ["running", "queued"] } }, data: { status: "cancelled" } });
  return count === 1;
}

export async function jobStatus(jobId: string, db: StudioTx = studioDb()): Promise<JobStatus | undefined> {
  return (await db.job.findUnique({ where: { id: jobId }, select: { status: true } }))?.status as JobStatus | undefined;
}

export function safeParse(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
