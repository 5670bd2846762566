/** What the CLI and the upload route do with a run folder: import it, then replay it. */
import { importRunFolder, type ImportedRun, type ImportRunOptions } from "./import-run.ts";
import { replayTrajectory, type ReplayResult } from "./replay.ts";
import type { DbDiff } from "../diff/sqlite-diff.ts";

export interface ImportedAndReplayed {
  imported: ImportedRun;
  replay: ReplayResult;
}

/** The replay as the CLI's --json and the import route report it. */
export interface ReplayReport {
  status: ReplayResult["status"];
  diverged: boolean;
  replayedCalls: number;
  /** The run's net change: initial → final database, as replayed (null when the replay failed). */
  netChange: DbDiff | null;
  /** Replayed final database → recorded final.db (empty when they agree); null when the run recorded no final.db. */
  divergence: DbDiff | null;
  /** Recorded calls the environment could not make (see ReplayResult.refused). */
  refused: string[];
  error?: string;
}

export async function importAndReplayRun(folder: string, options: ImportRunOptions = {}): Promise<ImportedAndReplayed> {
  const imported = await importRunFolder(folder, options);
  const replay = await replayTrajectory(imported.trajectoryId);
  return { imported, replay };
}

/** What POST /api/trajectories/import answers: the imported run and how its replay went. */
export interface ImportedRunReport extends ImportedRun {
  replay: ReplayReport;
}

export function importedRunReport({ imported, replay }: ImportedAndReplayed): ImportedRunReport {
  return { ...imported, replay: replayReport(replay) };
}

export function replayReport(replay: ReplayResult): ReplayReport {
  return {
    status: replay.status,
    diverged: replay.status === "diverged",
    replayedCalls: replay.replayedCalls,
    netChange: replay.netChange ?? null,
    divergence: replay.divergence ?? null,
    refused: replay.refused,
    ...(replay.error ? { error: replay.error } : {}),
  };
}
