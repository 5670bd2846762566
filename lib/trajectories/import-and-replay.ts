/** What the CLI and the upload route do with a run folder: import it, then replay it. */
import { emptyDiff } from "./diff-shape.ts";
import { importRunFolder, type ImportedRun, type ImportRunOptions } from "./import-run.ts";
import { replayTrajectory, type ReplayResult } from "./replay.ts";
import type { DbDiff } from "../diff/sqlite-diff.ts";

export interface ImportedAndReplayed {
  imported: ImportedRun;
  replay: ReplayResult;
  /** Rows where the replay's final database differs from the recorded one; empty when none. */
  finalDiff: DbDiff;
}

export async function importAndReplayRun(folder: string, options: ImportRunOptions = {}): Promise<ImportedAndReplayed> {
  const imported = await importRunFolder(folder, options);
  const replay = await replayTrajectory(imported.trajectoryId, { db: options.db });
  return { imported, replay, finalDiff: replay.finalDiff ?? emptyDiff() };
}
