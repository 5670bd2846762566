/** The database after each step of an episode: per-step and cumulative diffs from instance snapshots. */
import fs from "node:fs";
import { diffDatabases, type DbDiff } from "../diff/sqlite-diff.ts";
import { snapshotInstance } from "../instances/manager.ts";

export class EpisodeState {
  private last: string;

  constructor(
    private readonly instanceId: string,
    readonly initialFile: string,
  ) {
    this.last = initialFile;
  }

  /** The database as it is now: a snapshot file, or the initial one before any call. */
  get currentFile(): string {
    return this.last;
  }

  async step(): Promise<{ diff: DbDiff; cumulativeDiff: DbDiff }> {
    const now = await snapshotInstance(this.instanceId);
    const diff = await diffDatabases(this.last, now);
    const cumulativeDiff = await diffDatabases(this.initialFile, now);
    this.dispose();
    this.last = now;
    return { diff, cumulativeDiff };
  }

  /** Removes the latest snapshot (the initial database belongs to the trajectory). */
  dispose(): void {
    if (this.last !== this.initialFile) fs.rmSync(this.last, { force: true });
  }
}
