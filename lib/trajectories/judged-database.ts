/**
 * What a verdict of a diverged run rests on. Verdicts judge the trajectory's final database: the
 * run's recorded final.db when it had one, else the one its replay made. When the replay diverged,
 * either differs from what this environment does with the run's calls, and the reader must know.
 */
import type { DbDiff } from "../diff/sqlite-diff.ts";
import type { ReplayStatus } from "./store.ts";

/** Undefined unless the replay diverged. `replayFinalDiff` is set exactly when a recorded final.db was compared. */
export function judgedDatabaseNote({ replayStatus, replayFinalDiff }: { replayStatus: ReplayStatus; replayFinalDiff: DbDiff | null }): string | undefined {
  if (replayStatus !== "diverged") return undefined;
  return replayFinalDiff
    ? "judged on the run's recorded final database, and its replay diverged: the verdict is about what was recorded, not about what this environment does with these calls"
    : "judged on the final database its replay made, and the replay diverged: it lacks what the calls the environment refused would have done";
}
