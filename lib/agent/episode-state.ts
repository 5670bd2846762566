/**
 * The database after each step of an episode: per-step and cumulative diffs from instance snapshots.
 * A step's snapshot starts as soon as its call is answered and runs while the model takes its next
 * turn (which cannot change the database); the next call waits for it (`snapshotTaken`). Its two
 * diffs run in the database reader afterwards, one step after another. Snapshots are written to the
 * episode's own folder, so they outlive an instance that ends meanwhile, and each is deleted once
 * no diff needs it.
 */
import fs from "node:fs";
import { diffDatabases, type DbDiff } from "../diff/sqlite-diff.ts";
import { messageOf } from "../errors.ts";
import { snapshotInstance } from "../instances/manager.ts";
import { InfraFailure } from "./infra-failure.ts";

export interface StepDiffs {
  diff: DbDiff;
  cumulativeDiff: DbDiff;
}

export class EpisodeState {
  /** The latest snapshot's file, once taken (the initial database before any step). */
  private latest: Promise<string>;
  private diffing: Promise<unknown> = Promise.resolve();
  /** The first snapshot or diff that failed: the episode cannot be recorded whole. */
  private failure: unknown;

  constructor(
    private readonly instanceId: string,
    readonly initialFile: string,
    private readonly folder: string,
  ) {
    this.latest = Promise.resolve(initialFile);
  }

  /** Starts the snapshot of the database as the last call left it; `diffs` settles later (it never rejects unhandled). */
  step(): { diffs: Promise<StepDiffs> } {
    const previous = this.latest;
    const now = snapshotInstance(this.instanceId, this.folder).catch((error: unknown) => {
      // A snapshot is a request the environment answers: when it cannot (it died, hung or sent no database), that is the environment's failure.
      throw new InfraFailure("environment", messageOf(error));
    });
    now.catch(() => undefined); // read later by snapshotTaken(), current() and the diffs
    this.latest = now;
    const diffs = this.diffing
      .catch(() => undefined)
      .then(async () => {
        const [before, after] = await Promise.all([previous, now]);
        try {
          const [diff, cumulativeDiff] = await Promise.all([diffDatabases(before, after), diffDatabases(this.initialFile, after)]);
          return { diff, cumulativeDiff };
        } catch (error) {
          // Every database diffed here is one the environment sent, and the reader is built to read hostile ones: what it cannot read, the environment forged or broke.
          throw new InfraFailure("environment", `the database the environment sent after a step could not be read: ${messageOf(error)}`);
        }
      })
      .finally(() => this.release(previous));
    diffs.catch((error: unknown) => (this.failure ??= error));
    this.diffing = diffs;
    return { diffs };
  }

  /** Resolves once the latest snapshot is taken, so the next call may change the database; rejects if it failed. */
  async snapshotTaken(): Promise<void> {
    await this.latest;
  }

  /** The database as it is now, once every diff is done: the latest snapshot (the episode's own, to move) or the initial one. Rejects when a snapshot or diff failed. */
  async current(): Promise<{ file: string; snapshot: boolean }> {
    await this.diffing.catch(() => undefined);
    if (this.failure !== undefined) throw this.failure;
    const file = await this.latest;
    return { file, snapshot: file !== this.initialFile };
  }

  /** Removes the episode's snapshots folder once no diff runs (the final database has been moved out of it). */
  async dispose(): Promise<void> {
    await this.diffing.catch(() => undefined);
    await fs.promises.rm(this.folder, { recursive: true, force: true });
  }

  private release(file: Promise<string>): void {
    file
      .then((taken) => (taken !== this.initialFile ? fs.promises.rm(taken, { force: true }) : undefined))
      .catch(() => undefined); // a snapshot that failed left no file; the folder goes at dispose() anyway
  }
}
