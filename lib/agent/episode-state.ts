/**
 * The database after each step of an episode: per-step and cumulative diffs from instance snapshots.
 * A step's snapshot is taken at once (the next call changes the state); its two diffs run in the
 * database reader while the episode goes on, one step after another, so the model's next turn does
 * not wait for them. Each snapshot is deleted once no diff needs it.
 */
import fs from "node:fs";
import { diffDatabases, type DbDiff } from "../diff/sqlite-diff.ts";
import { snapshotInstance } from "../instances/manager.ts";

export interface StepDiffs {
  diff: DbDiff;
  cumulativeDiff: DbDiff;
}

export class EpisodeState {
  private last: string;
  private diffing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly instanceId: string,
    readonly initialFile: string,
  ) {
    this.last = initialFile;
  }

  /** Snapshots the database now; `diffs` settles later (it never rejects unhandled). */
  async step(): Promise<{ diffs: Promise<StepDiffs> }> {
    const now = await snapshotInstance(this.instanceId);
    const previous = this.last;
    this.last = now;
    const diffs = this.diffing
      .catch(() => undefined)
      .then(async () => {
        const [diff, cumulativeDiff] = await Promise.all([diffDatabases(previous, now), diffDatabases(this.initialFile, now)]);
        return { diff, cumulativeDiff };
      })
      .finally(() => this.release(previous));
    diffs.catch(() => undefined);
    this.diffing = diffs;
    return { diffs };
  }

  /** The database as it is now, once every diff is done: the latest snapshot (the episode's own, to move) or the initial one. */
  async current(): Promise<{ file: string; snapshot: boolean }> {
    await this.diffing.catch(() => undefined);
    return { file: this.last, snapshot: this.last !== this.initialFile };
  }

  /** Removes the latest snapshot when it is still there (the initial database belongs to the trajectory). */
  async dispose(): Promise<void> {
    await this.diffing.catch(() => undefined);
    this.release(this.last);
  }

  private release(file: string): void {
    if (file !== this.initialFile) fs.rmSync(file, { force: true });
  }
}
