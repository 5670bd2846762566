/**
 * Job rows: a generation run persisted so that another process can resume it when its owner died.
 * The owner (host, pid, heartbeat) lives in Job.progress; a job is orphaned when its owner process
 * is gone or its heartbeat is older than ORPHAN_AFTER_MS.
 */
import os from "node:os";
import { studioDb, type StudioTx } from "../store/db.ts";

export type JobKind = "gen" | "regen";
export type JobStatus = "queued" | "running" | "finished" | "failed" | "cancelled";

export const HEARTBEAT_MS = 5_000;
export const ORPHAN_AFTER_MS = 60_000;

export interface JobOwner {
  host: string;
  pid: number;
  heartbeatAt: string;
}

export function thisOwner(): JobOwner {
  return { host: os.hostname(), pid: process.pid, heartbeatAt: new Date().toISOString() };
}

export async function createJobRow(kind: JobKind, params: unknown, db: StudioTx = studioDb()) {
  return db.job.create({ data: { kind, status: "running", params: JSON.stringify(params), progress: JSON.stringify({ owner: thisOwner() }) } });
}

export function ownerOf(progress: string): JobOwner | undefined {
  try {
    return (JSON.parse(progress) as { owner?: JobOwner }).owner;
  } catch {
    return undefined;
  }
}

/** Whether the process that owns a job is still there to finish it. */
export function ownerAlive(owner: JobOwner | undefined, now = Date.now()): boolean {
  if (!owner) return false;
  if (now - Date.parse(owner.heartbeatAt) > ORPHAN_AFTER_MS) return false;
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return false; // ours, yet not in this process's registry: lost on a reload
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes over an orphaned job; false when another process claimed it first (compare-and-set on updatedAt). */
export async function claimJob(job: { id: string; updatedAt: Date; progress: string }, db: StudioTx = studioDb()): Promise<boolean> {
  const progress = { ...safeParse(job.progress), owner: thisOwner() };
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

export function safeParse(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
