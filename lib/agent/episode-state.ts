/**
 * The database after each step of an episode: per-step and cumulative diffs from instance snapshots.
 * A call is sent with a capture: the episode copies the database as the call left it before it
 * answers, and the studio fetches the copy while the model takes its next turn; the next call need
 * not wait for it (`pinned`). A call answered without one (its handler raised past the episode's
 * answers) is followed by a snapshot, which the next call waits for. Either copies the database
 * only when it is not still at the version of the one before: after a call that changed nothing
 * (most are reads) nothing is copied and nothing diffed. The diffs run in the database
 * reader afterwards, one step after another. Snapshots are written to the episode's own folder, so
 * they outlive an instance that ends meanwhile, and each is deleted once no diff needs it.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { diffDatabases, type DbDiff } from "../diff/sqlite-diff.ts";
import { messageOf } from "../errors.ts";
import { snapshotInstanceCapture, snapshotInstanceSince } from "../instances/manager.ts";
import type { CaptureRequest, Snapshot } from "../runtime/instance.ts";
import { emptyDiff } from "../trajectories/diff-shape.ts";
import { Backlog } from "./backlog.ts";
import { InfraFailure } from "./infra-failure.ts";

export interface StepDiffs {
  diff: DbDiff;
  cumulativeDiff: DbDiff;
}

export interface EpisodeStateOptions {
  /** Where an episode that went on in a new instance stands: its database there (a file of the state's folder) and its change since the start. */
  resume?: { latest: Snapshot; cumulativeDiff: DbDiff };
  /** Told each new state's file once its diffs are in, before the file may be deleted (a playtest keeps a link to it). */
  keep?: (file: string) => void;
}

/**
 * Captures the episode holds that the studio has not fetched yet, at most: a call waits for the
 * oldest beyond this (the episode keeps 8, and drops the oldest past that).
 */
const UNFETCHED_CAPTURES = 4;

export class EpisodeState {
  /** The latest snapshot, once taken (the initial database before any step). */
  private latest: Promise<Snapshot>;
  /** Settles once the latest step's state is held, where it is read from (see pinned()). */
  private pinning: Promise<void> = Promise.resolve();
  /** The version the latest snapshot has or will have once fetched: a capture copies nothing while the database is still at it. */
  private pinnedVersion: string | undefined;
  /** The first snapshot or capture that could not be read: no later call runs (its state would not be recorded). */
  private readFailure: unknown;
  /** The latest step's diffs (empty ones before any step): a step that changed nothing repeats its cumulative diff. */
  private diffing: Promise<StepDiffs> = Promise.resolve({ diff: emptyDiff(), cumulativeDiff: emptyDiff() });
  /** The first snapshot or diff that failed: the episode cannot be recorded whole. */
  private failure: unknown;
  /** Fetches of captures still under way. */
  private readonly fetching = new Backlog();

  constructor(
    private readonly instanceId: string,
    private readonly initial: Snapshot,
    private readonly folder: string,
    private readonly options: EpisodeStateOptions = {},
  ) {
    const start = options.resume?.latest ?? initial;
    this.latest = Promise.resolve(start);
    this.pinnedVersion = start.version;
    if (options.resume) this.diffing = Promise.resolve({ diff: emptyDiff(), cumulativeDiff: options.resume.cumulativeDiff });
  }

  /** What a call's capture sends: a fresh name (16 hex digits), and the version the episode's record holds (see EnvironmentInstance.callTool). */
  capture(): CaptureRequest {
    return { name: crypto.randomBytes(8).toString("hex"), since: this.pinnedVersion };
  }

  /**
   * Starts reading the database as the last call left it: the copy the episode captured before it
   * answered (`captured`, the capture's name and version), else a snapshot taken now. `diffs` settles
   * later (it never rejects unhandled).
   */
  step(captured?: { name: string; version: string }): { diffs: Promise<StepDiffs> } {
    const previous = this.latest;
    const now = previous.then(async (before) => {
      const taken = await (captured ? snapshotInstanceCapture(this.instanceId, this.folder, captured.name, before.version) : snapshotInstanceSince(this.instanceId, this.folder, before.version)).catch(
        (error: unknown) => {
          // A snapshot is a request the environment answers: when it cannot (it died, hung or sent no database), that is the environment's failure.
          throw new InfraFailure("environment", messageOf(error));
        },
      );
      return taken ?? before;
    });
    now.catch((error: unknown) => (this.readFailure ??= error)); // also read later by snapshotTaken(), current() and the diffs
    this.latest = now;
    // A capture holds the state in the episode already: the next call need not wait for it to arrive.
    if (captured) {
      this.pinnedVersion = captured.version;
      this.pinning = Promise.resolve();
      this.fetching.track(now);
    } else {
      this.pinning = now.then((snapshot) => void (this.pinnedVersion = snapshot.version));
      this.pinning.catch(() => undefined); // read by the next call, if there is one
    }
    const previousDiffs = this.diffing;
    const diffs = previousDiffs
      .catch(() => undefined)
      .then(async () => {
        const [before, after] = await Promise.all([previous, now]);
        if (after === before) return carriedOn(previousDiffs);
        let stepDiffs: StepDiffs;
        try {
          // Until a step changes something, "before" is the initial database: the two diffs are one.
          const stepDiff = diffDatabases(before.file, after.file);
          const [diff, cumulativeDiff] = await Promise.all([stepDiff, before.file === this.initial.file ? stepDiff : diffDatabases(this.initial.file, after.file)]);
          stepDiffs = { diff, cumulativeDiff };
        } catch (error) {
          // Every database diffed here is one the environment sent, and the reader is built to read hostile ones: what it cannot read, the environment forged or broke.
          throw new InfraFailure("environment", `the database the environment sent after a step could not be read: ${messageOf(error)}`);
        }
        try {
          this.options.keep?.(after.file);
        } catch (error) {
          throw new InfraFailure("studio", `the state after a step could not be kept: ${messageOf(error)}`);
        }
        return stepDiffs;
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

  /**
   * Resolves once the database as the last call left it is held (captured or snapshotted), so the
   * next call may change it, and the captures not yet fetched are few enough that the episode keeps
   * them all; rejects if reading a step's database failed.
   */
  async pinned(): Promise<void> {
    // A step's database that could not be read stops the calls after it, as soon as that is known.
    if (this.readFailure !== undefined) throw this.readFailure;
    await this.pinning;
    await this.fetching.below(UNFETCHED_CAPTURES);
    if (this.readFailure !== undefined) throw this.readFailure;
  }

  /** Throws the first snapshot, capture or diff that failed so far. */
  check(): void {
    const failure = this.readFailure ?? this.failure;
    if (failure !== undefined) throw failure;
  }

  /** Resolves once every step's diffs are done or have failed. */
  async settled(): Promise<void> {
    await this.diffing.catch(() => undefined);
  }

  /** Resolves once the latest snapshot has arrived (the instance is no longer needed for it); rejects if it failed. */
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
    await this.settled();
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
