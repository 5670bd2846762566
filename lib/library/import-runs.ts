/**
 * Import run records. A running import keeps its owner process (store/process-owner.ts) and the
 * environments it finished in ImportRun.progress, so a run whose process died is marked
 * `interrupted` by the next process that looks, and can be resumed where it stopped.
 */
import { NotFoundError } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { HEARTBEAT_MS, ownerAlive, thisOwner, type ProcessOwner } from "../store/process-owner.ts";

export type ImportRunStatus = "running" | "finished" | "failed" | "interrupted";
export type EnvironmentImportStatus = "created" | "updated" | "unchanged";

export interface ImportRunProgress {
  owner?: ProcessOwner;
  /** Environments the folder holds, once it has been read. */
  total?: number;
  /** Environments this run made whole, with what the import did to them. */
  done: Record<string, EnvironmentImportStatus>;
}

export interface ImportRunSummary {
  id: string;
  folder: string;
  status: ImportRunStatus;
  startedAt: string;
  finishedAt: string | null;
  total: number | null;
  done: number;
}

/** Runs owned by this process (a Next dev reload keeps the set on globalThis). */
const active: Set<string> = ((globalThis as { awmStudioImports?: Set<string> }).awmStudioImports ??= new Set());

export function parseProgress(text: string): ImportRunProgress {
  try {
    const value = JSON.parse(text) as Partial<ImportRunProgress> | null;
    return { ...value, done: value?.done ?? {} };
  } catch {
    return { done: {} };
  }
}

export async function createImportRun(folder: string, db: StudioTx = studioDb()): Promise<string> {
  const run = await db.importRun.create({ data: { folder, status: "running", progress: JSON.stringify({ owner: thisOwner(), done: {} }) } });
  return run.id;
}

/**
 * Marks the run as this process's while `work` runs, writing `progress()` with a fresh heartbeat
 * every HEARTBEAT_MS and whenever `work` calls `save`.
 */
export async function ownImportRun<T>(
  id: string,
  progress: () => Omit<ImportRunProgress, "owner">,
  work: (save: () => Promise<void>) => Promise<T>,
  db: StudioTx = studioDb(),
): Promise<T> {
  const save = () => db.importRun.update({ where: { id }, data: { progress: JSON.stringify({ ...progress(), owner: thisOwner() }) } }).then(() => undefined);
  active.add(id);
  const beat = setInterval(() => void save().catch(() => undefined), HEARTBEAT_MS);
  beat.unref();
  try {
    return await work(save);
  } finally {
    clearInterval(beat);
    active.delete(id);
  }
}

export async function finishImportRun(id: string, status: "finished" | "failed", report: unknown, db: StudioTx = studioDb()): Promise<void> {
  await db.importRun.update({ where: { id }, data: { status, report: JSON.stringify(report), finishedAt: new Date() } });
}

/**
 * Every run left `running` by a process that is gone becomes `interrupted`. Compare-and-set on
 * the progress text, so a run whose owner wrote a heartbeat meanwhile is left alone.
 */
export async function markInterruptedImports(db: StudioTx = studioDb()): Promise<number> {
  const running = await db.importRun.findMany({ where: { status: "running" }, select: { id: true, progress: true } });
  let marked = 0;
  for (const run of running) {
    if (active.has(run.id) || ownerAlive(parseProgress(run.progress).owner)) continue;
    const { count } = await db.importRun.updateMany({ where: { id: run.id, status: "running", progress: run.progress }, data: { status: "interrupted" } });
    marked += count;
  }
  return marked;
}

/** Takes over an interrupted run; throws when there is no such run or it is not interrupted. */
export async function claimInterruptedRun(id: string, db: StudioTx = studioDb()): Promise<{ folder: string; progress: ImportRunProgress }> {
  await markInterruptedImports(db);
  const run = await db.importRun.findUnique({ where: { id } });
  if (!run) throw new NotFoundError(`no import run ${id}`);
  if (run.status !== "interrupted") throw new Error(`import run ${id} is ${run.status}; only an interrupted import can be resumed`);
  const progress = { ...parseProgress(run.progress), owner: thisOwner() };
  const { count } = await db.importRun.updateMany({ where: { id, status: "interrupted" }, data: { status: "running", progress: JSON.stringify(progress) } });
  if (count !== 1) throw new Error(`import run ${id} was resumed by another process`);
  return { folder: run.folder, progress };
}

/** The latest runs, newest first, after marking the ones whose process died. */
export async function listImportRuns(limit = 20, db: StudioTx = studioDb()): Promise<ImportRunSummary[]> {
  await markInterruptedImports(db);
  const runs = await db.importRun.findMany({ orderBy: { startedAt: "desc" }, take: limit, select: { id: true, folder: true, status: true, startedAt: true, finishedAt: true, progress: true } });
  return runs.map((run) => {
    const progress = parseProgress(run.progress);
    return {
      id: run.id,
      folder: run.folder,
      status: run.status as ImportRunStatus,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      total: progress.total ?? null,
      done: Object.keys(progress.done).length,
    };
  });
}
