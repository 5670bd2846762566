/**
 * The database after each step of an episode: per-step and cumulative diffs from instance snapshots.
 * A step's snapshot starts as soon as its call is answered and runs while the model takes its next
 * turn (which cannot change the database); the next call waits for it (`snapshotTaken`). Each asks
 * for the database unless it is still at the version of the one before: after a call that changed
 * nothing (most are reads) nothing is copied and nothing diffed. The diffs run in the database
 * reader afterwards, one step after another. Snapshots are written to the episode's own folder, so
 * they outlive an instance that ends meanwhile, and each is deleted once no diff needs it.
 */
import fs from "node:fs";
import { diffDatabases, type DbDiff } from "../diff/sqlite-diff.ts";
import { messageOf } from "../errors.ts";
import { snapshotInstanceSince } from "../instances/manager.ts";
import type { Snapshot } from "../runtime/instance.ts";
import { emptyDiff } from "../trajectories/diff-shape.ts";
import { InfraFailure } from "./infra-failure.ts";

export interface StepDiffs {
  diff: DbDiff;
  cumulativeDiff: DbDiff;
}

export class EpisodeState {
  /** The latest snapshot, once taken (the initial database before any step). */
  private latest: Promise<Snapshot>;
  /** The latest step's diffs (empty ones before any step): a step that changed nothing repeats its cumulative diff. */
  private diffing: Promise<StepDiffs> = Promise.resolve({ diff: emptyDiff(), cumulativeDiff: emptyDiff() });
  /** The first snapshot or diff that failed: the episode cannot be recorded whole. */
  private failure: unknown;

  constructor(
    private readonly instanceId: string,
    private readonly initial: Snapshot,
    private readonly folder: string,
  ) {
    this.latest = Promise.resolve(initial);
  }

  /** Starts the snapshot of the database as the last call left it; `diffs` settles later (it never rejects unhandled). */
  step(): { diffs: Promise<StepDiffs> } {
    const previous = this.latest;
    const now = previous.then(async (before) => {
      const taken = await snapshotInstanceSince(this.instanceId, this.folder, before.version).catch((error: unknown) => {
        // A snapshot is a request the environment answers: when it cannot (it died, hung or sent no database), that is the environment's failure.
        throw new InfraFailure("environment", messageOf(error));
      });
      return taken ?? before;
    });
    now.catch(() => undefined); // read later by snapshotTaken(), current() and the diffs
    this.latest = now;
    const previousDiffs = this.diffing;
    const diffs = previousDiffs
      .catch(() => undefined)
      .then(async () => {
        const [before, after] = await Promise.all([previous, now]);
        if (after === before) return carriedOn(previousDiffs);
        try {
          // Until a step changes something, "before" is the initial database: the two diffs are one.
          const stepDiff = diffDatabases(before.file, after.file);
          const [diff, cumulativeDiff] = await Promise.all([stepDiff, before.file === this.initial.file ? stepDiff : diffDatabases(this.initial.file, after.file)]);
          return { diff, cumulativeDiff };
        } catch (error) {
          // Every database diffed here is one the environment sent, and the reader is built to read hostile ones: what it cannot read, the environment forged or broke.
          throw new InfraFailure("environment", `the database the environment sent after a step could not be read: ${messageOf(error)}`);
        }
      })
      .finally(() => this.release(previous, now));
    diffs.catch((error: unknown) => (this.failure ??= error));
    this.diffing = diffs;
    return { diffs };
  }

  /**
   * The diffs of a step that ran no call (a final answer, a malformed or skipped call): nothing of
   * its own, and the database since the start as the last call left it.
   */
  unchanged(): Promise<StepDiffs> {
    return carriedOn(this.diffing);
  }

  /** Resolves once the latest snapshot is taken, so the next call may change the database; rejects if it failed. */
  async snapshotTaken(): Promise<void> {
    await this.latest;
  }

  /** The database as it is now, once every diff is done: the latest snapshot (the episode's own, to move) or the initial one. Rejects when a snapshot or diff failed. */
  async current(): Promise<{ file: string; snapshot: boolean }> {
    await this.diffing.catch(() => undefined);
    if (this.failure !== undefined) throw this.failure;
    const { file } = await this.latest;
    return { file, snapshot: file !== this.initial.file };
  }

  /** Removes the episode's snapshots folder once no diff runs (the final database has been moved out of it). */
  async dispose(): Promise<void> {
    await this.diffing.catch(() => undefined);
    await fs.promises.rm(this.folder, { recursive: true, force: true });
  }

  /** Deletes the step's "before" file, unless it is the initial database or still the latest. */
  private release(previous: Promise<Snapshot>, now: Promise<Snapshot>): void {
    Promise.all([previous, now])
      .then(([before, after]) => (before.file !== this.initial.file && before !== after ? fs.promises.rm(before.file, { force: true }) : undefined))
      .catch(() => undefined); // a snapshot that failed left no file; the folder goes at dispose() anyway
  }
}

/** Nothing changed by the step itself; since the start, the change as `latest` left it. */
async function carriedOn(latest: Promise<StepDiffs>): Promise<StepDiffs> {
  return { diff: emptyDiff(), cumulativeDiff: (await latest).cumulativeDiff };
}
