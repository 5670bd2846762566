/**
 * Records every call and reset on a playtest's instance as a step of its trajectory, whoever sends
 * it (an MCP agent, the REST API, the page). Calls run one at a time, each sent with a capture: the
 * caller gets the environment's answer as soon as it is given, while the step's database copy, its
 * diffs and its row are written behind it, in order (the next call need not wait: the copy is held
 * in the episode). A caller that shows the diffs (the page) waits for its step.
 * The state after the latest step is also linked at trajectories/<id>/playtest/last.db, which
 * outlives the studio: a playtest that goes on in a new instance is compared with it.
 */
import fs from "node:fs";
import path from "node:path";
import { EpisodeState, type EpisodeStateOptions, type StepDiffs } from "../agent/episode-state.ts";
import { StepRecorder } from "../agent/step-recorder.ts";
import { journal, type JournalAction } from "./call-journal.ts";
import type { DbDiff } from "../diff/sqlite-diff.ts";
import { verdictLine } from "../awm/verdict.ts";
import { ConflictError, messageOf } from "../errors.ts";
import { instanceRecorder, stopInstance, type EpisodeVerdict, type InstanceRecorder } from "../instances/manager.ts";
import { toolCallText } from "../mcp/tool-result.ts";
import type { CaptureRequest, Snapshot, ToolCallResult } from "../runtime/instance.ts";
import { UdsResponseTooLargeError } from "../runtime/uds-http.ts";
import { emptyDiff } from "../trajectories/diff-shape.ts";
import { RESET_NOTE } from "../trajectories/reset-step.ts";
import { episodeSnapshotsDir, finishTrajectory, trajectoryDir, type NewStep, type StepView } from "../trajectories/store.ts";
import { verifyTrajectory, type StoredVerdict } from "../verify/verify-trajectory.ts";

export interface PlaytestSession {
  trajectoryId: string;
  instanceId: string;
}

export interface PlaytestStepResult {
  step: StepView;
  /** This step's change: previous state → now. */
  diff: DbDiff;
  /** Everything since the playtest started: initial state → now. */
  cumulativeDiff: DbDiff;
}

export interface PlaytestFinishResult {
  verdict: StoredVerdict;
  cumulativeDiff: DbDiff;
}

/** Where a recording starts: the trajectory's initial database, and for a playtest that goes on, where it stands. */
export interface RecordingStart {
  initial: Snapshot;
  resume?: EpisodeStateOptions["resume"];
  /** The ordinal of the next step (the number of steps already stored). */
  nextOrdinal: number;
}

export class PlaytestRecorder implements InstanceRecorder {
  readonly trajectoryId: string;
  private readonly state: EpisodeState;
  private readonly steps: StepRecorder;
  /** The step each call or reset became, by its result object (handed back to the caller unchanged). */
  private readonly recorded = new WeakMap<object, Promise<StepView>>();

  constructor(
    readonly session: PlaytestSession,
    start: RecordingStart,
  ) {
    this.trajectoryId = session.trajectoryId;
    recorders.set(this.trajectoryId, this);
    // A recording that was replaced (its instance crashed, the playtest went on in a new one) no longer says where the playtest stands.
    const keep = (file: string) => {
      if (recorders.get(session.trajectoryId) === this) keepLastState(session.trajectoryId, file);
    };
    this.state = new EpisodeState(session.instanceId, start.initial, episodeSnapshotsDir(session.trajectoryId), { ...(start.resume && { resume: start.resume }), keep });
    this.steps = new StepRecorder(session.trajectoryId, undefined, start.nextOrdinal);
  }

  call(tool: string, args: Record<string, unknown>, run: (capture?: CaptureRequest) => Promise<ToolCallResult>): Promise<ToolCallResult> {
    return serialized(this.trajectoryId, async () => {
      await this.ready();
      const capture = this.state.capture();
      const called: NewStep = { role: "assistant", toolName: tool, toolArguments: args };
      const journaled = { kind: "call" as const, tool, args };
      const response = await run(capture).catch((error: unknown) => {
        // The environment ran the call and answered past the studio's cap: its change is this call's step, with the refusal as its answer.
        if (error instanceof UdsResponseTooLargeError) this.record(error, { ...called, toolResponse: messageOf(error), isError: true }, this.state.step().diffs, journaled);
        throw error;
      });
      const { diffs } = this.state.step(response.captured ? { name: capture.name, version: response.captured } : undefined);
      this.record(response, { ...called, toolResponse: toolCallText(response), isError: !response.ok, durationMs: response.durationMs }, diffs, journaled);
      return response;
    });
  }

  /** A call the studio refused before the environment saw it: a step of its own, marked malformed, without diffs. */
  refused(tool: string, args: Record<string, unknown>, reason: string): Promise<void> {
    return serialized(this.trajectoryId, async () => {
      await this.ready();
      this.record({}, refusedStep(tool, args, reason), undefined, { kind: "refused", tool, args, reason });
    });
  }

  reset(run: () => Promise<{ durationMs: number }>): Promise<{ durationMs: number }> {
    return serialized(this.trajectoryId, async () => {
      await this.ready();
      // A reset replaces the episode's process, and with it the copies it holds that are not fetched yet.
      await this.state.snapshotTaken();
      const result = await run();
      const { diffs } = this.state.step();
      this.record(result, { role: "system", content: RESET_NOTE, durationMs: result.durationMs }, diffs, { kind: "reset" });
      return result;
    });
  }

  /**
   * Writes the step of an answered call or reset once its diffs are in. One whose database could
   * not be read or diffed (the instance died, or sent what the reader refuses) is still written,
   * without diffs, as the agent runs keep theirs: the caller had its answer, so a restart replays
   * it. The calls after it are refused (ready()). It is journaled before the caller has its answer.
   */
  private record(result: object, step: NewStep, diffs: Promise<StepDiffs> | undefined, action: JournalAction): void {
    const { ordinal, written } = this.steps.add(diffs ? diffs.then((stepDiffs) => ({ ...step, ...stepDiffs }), () => step) : Promise.resolve(step));
    journal(this.trajectoryId, { ...action, ordinal });
    const withItsDiffs = Promise.all([written, diffs]).then(([view]) => view);
    withItsDiffs.catch(() => undefined); // read only by a caller that shows the diffs (stepOf)
    this.recorded.set(result, withItsDiffs);
  }

  /** The step a call or reset (its result, as run() gave it) became, once written with its diffs; rejects when they failed. */
  async stepOf(result: object): Promise<PlaytestStepResult> {
    const written = this.recorded.get(result);
    if (!written) throw new Error("the call ran on an instance that no episode records");
    return withDiffs(await written);
  }

  async finish(finalAnswer: string): Promise<EpisodeVerdict> {
    const { verdict } = await this.finishPlaytest(finalAnswer);
    const reason = verdict.error || verdict.reasoning;
    const failed = verdict.classification === "judge_error";
    return {
      text: `verdict: ${verdictLine(verdict.classification, verdict.reward)}${reason ? `\n${reason}` : ""}`,
      episode: this.trajectoryId,
      classification: verdict.classification,
      reward: failed ? null : verdict.reward,
      reason: reason ?? "",
    };
  }

  /**
   * Ends the playtest: the final answer becomes the last step once every step before it is written,
   * the state after the last call becomes the final database, the instance stops, and the task's
   * code-mode verifier judges the trajectory.
   */
  finishPlaytest(finalAnswer: string): Promise<PlaytestFinishResult> {
    return serialized(this.trajectoryId, async () => {
      await this.ready();
      const last = this.steps.add(this.state.unchanged().then((stepDiffs) => ({ role: "assistant", content: finalAnswer, isFinal: true, ...stepDiffs })));
      await this.steps.flush();
      const { cumulativeDiff } = withDiffs(await last.written);
      const current = await this.state.current();
      await finishTrajectory(this.trajectoryId, { finalAnswer, finalDbFile: current.file, moveFinalDb: current.snapshot });
      await stopInstance(this.session.instanceId, "its episode finished").catch(() => undefined);
      await this.state.dispose();
      recorders.delete(this.trajectoryId);
      await fs.promises.rm(path.dirname(lastStateFile(this.trajectoryId)), { recursive: true, force: true });
      return { verdict: await verifyTrajectory(this.trajectoryId, "code"), cumulativeDiff };
    });
  }

  /** Resolves once every step it took is written or has failed, and no diff of it runs. */
  async settled(): Promise<void> {
    await this.steps.flush().catch(() => undefined);
    await this.state.settled();
  }

  /** Before a call, a reset or the end: every step so far could be recorded, and the last one's database is held. */
  private async ready(): Promise<void> {
    this.ensureCurrent();
    this.steps.check();
    this.state.check();
    await this.steps.room();
    await this.state.pinned();
  }

  /** Refuses what comes from an instance the playtest left (it crashed and the playtest went on in another), or after its end. */
  private ensureCurrent(): void {
    if (recorders.get(this.trajectoryId) !== this || instanceRecorder(this.session.instanceId) !== this) {
      throw new ConflictError(`playtest ${this.trajectoryId} is not recorded on instance ${this.session.instanceId}: it is finished, or went on in another instance`);
    }
  }
}

function withDiffs(step: StepView): PlaytestStepResult {
  return { step, diff: step.diff ?? emptyDiff(), cumulativeDiff: step.cumulativeDiff ?? emptyDiff() };
}

/** The state after the playtest's latest step that changed the database (absent before the first). */
/** The step of a call refused before it reached the environment (bad arguments, no such tool). */
export function refusedStep(tool: string, args: Record<string, unknown>, reason: string): NewStep {
  return { role: "assistant", toolName: tool, toolArguments: args, toolResponse: reason, isError: true, malformed: true };
}

export function lastStateFile(trajectoryId: string): string {
  return path.join(trajectoryDir(trajectoryId), "playtest", "last.db");
}

/** Links `file` (a snapshot of the recording's, deleted once superseded) as the latest state, replacing the one before at once. */
export function keepLastState(trajectoryId: string, file: string): void {
  const last = lastStateFile(trajectoryId);
  const staged = `${last}.next`;
  fs.mkdirSync(path.dirname(last), { recursive: true });
  fs.rmSync(staged, { force: true });
  fs.linkSync(file, staged);
  fs.renameSync(staged, last);
}

/** The recording of each playtest under way (by trajectory id); one that goes on in a new instance replaces it. */
const recorders: Map<string, PlaytestRecorder> = ((globalThis as { awmPlaytestRecorders?: Map<string, PlaytestRecorder> }).awmPlaytestRecorders ??= new Map());

/** The instance the playtest is recorded on in this process, if any. */
export function recordingInstance(trajectoryId: string): string | undefined {
  return recorders.get(trajectoryId)?.session.instanceId;
}

/** Waits until the playtest's recording so far is written (or failed): nothing of it is written after. */
export async function settleRecording(trajectoryId: string): Promise<void> {
  await recorders.get(trajectoryId)?.settled();
}

/** One call, reset, restart or finish at a time per playtest: each step's state is the one its call left. */
const queues: Map<string, Promise<unknown>> = ((globalThis as { awmPlaytestQueues?: Map<string, Promise<unknown>> }).awmPlaytestQueues ??= new Map());

export async function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  queues.set(key, next);
  try {
    return await next;
  } finally {
    if (queues.get(key) === next) queues.delete(key);
  }
}

/** The recorder of the playtest's instance; a 409 when the instance records another episode, or none. */
export function recorderOf(session: PlaytestSession, recorder: InstanceRecorder | undefined): PlaytestRecorder {
  if (!(recorder instanceof PlaytestRecorder) || recorder.trajectoryId !== session.trajectoryId) {
    throw new ConflictError(`instance ${session.instanceId} does not record playtest ${session.trajectoryId}`);
  }
  return recorder;
}
