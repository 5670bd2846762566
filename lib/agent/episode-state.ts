/**
 * The database after each step of an episode: per-step and cumulative diffs from instance snapshots.
 * A step's snapshot starts as soon as its call is answered and runs while the model takes its next
 * turn (which cannot change the database); the next call waits for it (`settled`). Its two diffs
 * run in the database reader afterwards, one step after another. Each snapshot is deleted once no
 * diff needs it.
 */
import fs from "node:fs";
import { diffDatabases, type DbDiff } from "../diff/sqlite-diff.ts";
import { messageOf } from "../errors.ts";
import { snapshotInstance } from "../instances/manager.ts";
import { InstanceUnavailableError } from "../runtime/instance.ts";
import { InfraFailure } from "./infra-failure.ts";

export interface StepDiffs {
  diff: DbDiff;
  cumulativeDiff: DbDiff;
}

export class EpisodeState {
  /** The latest snapshot's file, once taken (the initial database before any step). */
  private latest: Promise<string>;
  private diffing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly instanceId: string,
    readonly initialFile: string,
  ) {
    this.latest = Promise.resolve(initialFile);
  }

  /** Starts the snapshot of the database as the last call left it; `diffs` settles later (it never rejects unhandled). */
  step(): { diffs: Promise<StepDiffs> } {
    const previous = this.latest;
    const now = snapshotInstance(this.instanceId).catch((error: unknown) => {
      // The environment ended after answering (its own exit, a memory limit): not the studio's failure.
      throw error instanceof InstanceUnavailableError ? new InfraFailure("environment", messageOf(error)) : error;
    });
    now.catch(() => undefined); // seen by settled(), current() and the diffs
    this.latest = now;
    const diffs = this.diffing
      .catch(() => undefined)
      .then(async () => {
        const [before, after] = await Promise.all([previous, now]);
        const [diff, cumulativeDiff] = await Promise.all([diffDatabases(before, after), diffDatabases(this.initialFile, after)]);
        return { diff, cumulativeDiff };
      })
      .finally(() => this.release(previous));
    diffs.catch(() => undefined);
    this.diffing = diffs;
    return { diffs };
  }

  /** Resolves once the latest snapshot is taken, so the next call may change the database; rejects if it failed. */
  async settled(): Promise<void> {
    await this.latest;
  }

  /** The database as it is now, once every diff is done: the latest snapshot (the episode's own, to move) or the initial one. */
  async current(): Promise<{ file: string; snapshot: boolean }> {
    await this.diffing.catch(() => undefined);
    const file = await this.latest;
    return { file, snapshot: file !== this.initialFile };
  }

  /** Removes the latest snapshot when it is still there (the initial database belongs to the trajectory). */
  async dispose(): Promise<void> {
    await this.diffing.catch(() => undefined);
    this.release(this.latest);
  }

  private release(file: Promise<string>): void {
    file.then(
      (taken) => {
        if (taken !== this.initialFile) fs.rmSync(taken, { force: true });
      },
      () => undefined, // a snapshot that failed left no file
    );
  }
}
