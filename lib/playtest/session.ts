/**
 * A playtest: a person acting as the agent on one task. It is a live instance (from the instance
 * manager) plus a trajectory (source "playtest") that records every call with its database diffs.
 * Everything needed to continue after a page reload lives on disk and in the studio database,
 * keyed by the trajectory id and the instance id (both in the page's URL):
 *   trajectories/<id>/initial.db        the state the playtest started from (the trajectory's)
 *   trajectories/<id>/playtest/last.db  the state after the latest step, for the next step's diff
 *   trajectories/<id>/playtest/last.version  its version: a step that committed nothing copies nothing
 */
import fs from "node:fs";
import path from "node:path";
import { diffDatabases, type DbDiff } from "../diff/sqlite-diff.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { attachRecorder, callInstanceTool, createInstance, getInstance, resetInstance, snapshotInstanceSince, stopInstance, type InstanceInfo } from "../instances/manager.ts";
import { toolCallResult } from "../mcp/tool-result.ts";
import type { ToolCallResult } from "../runtime/instance.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { emptyDiff } from "../trajectories/diff-shape.ts";
import { RESET_NOTE } from "../trajectories/reset-step.ts";
import { appendStep, createTrajectory, finishTrajectory, getTrajectory, trajectoryDir, type StepView, type TrajectoryDetail } from "../trajectories/store.ts";
import { verifyTrajectory, type StoredVerdict } from "../verify/verify-trajectory.ts";
import { noSuchTask } from "../awm/no-such-task.ts";

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

export interface PlaytestCallResult extends PlaytestStepResult {
  response: ToolCallResult;
}

export interface PlaytestFinishResult {
  verdict: StoredVerdict;
  cumulativeDiff: DbDiff;
}

/** Who played: a person, not a model. */
export const PLAYTEST_MODEL = "human (playtest)";

/**
 * Starts an instance of `environmentName`, records its initial database and opens the trajectory;
 * from then on every call on the instance (MCP, REST, the page) is a step. `agent` names who plays.
 */
export async function startPlaytest(environmentName: string, taskIdx: number, { agent = PLAYTEST_MODEL } = {}): Promise<PlaytestSession> {
  const task = await taskText(environmentName, taskIdx);
  const instance = await createInstance(environmentName);
  try {
    const initial = await snapshotInstanceSince(instance.id, undefined, undefined);
    const { id } = await createTrajectory({ environmentName, taskIdx, task, source: "playtest", model: agent, initialDbFile: initial.file });
    keepLastState(id, initial.file);
    rememberLastVersion(id, initial.version);
    const session = { trajectoryId: id, instanceId: instance.id };
    recordSession(session);
    return session;
  } catch (error) {
    await stopInstance(instance.id).catch(() => undefined);
    throw error;
  }
}

/**
 * Calls a tool on the session's instance and records the call, its response and its diffs as a step.
 * `raw` skips the check against the tool's schema, so the environment answers whatever was sent.
 */
export async function playtestCall(session: PlaytestSession, tool: string, args: Record<string, unknown>, { raw = false } = {}): Promise<PlaytestCallResult> {
  await openSession(session);
  const response = await callInstanceTool(session.instanceId, tool, args, { validate: !raw });
  return { ...recordedStep(response), response };
}

/** Puts the instance back to its seed database; the reset is a step of its own, so the record stays honest. */
export async function resetPlaytest(session: PlaytestSession): Promise<PlaytestStepResult> {
  await openSession(session);
  return recordedStep(await resetInstance(session.instanceId));
}

/** The step each recorded call or reset became, by its result object (which the recorder hands back unchanged). */
const recordedSteps = new WeakMap<object, PlaytestStepResult>();

function recordedStep(result: object): PlaytestStepResult {
  const step = recordedSteps.get(result);
  if (!step) throw new Error("the call ran on an instance that no episode records");
  return step;
}

/** Makes every call and reset on the session's instance, whoever sends it, a step of its trajectory. */
export function recordSession(session: PlaytestSession): void {
  attachRecorder(session.instanceId, {
    trajectoryId: session.trajectoryId,
    call: (tool, args, run) =>
      serialized(session.trajectoryId, async () => {
        const response = await run();
        const text = toolCallResult(response).content.map((part) => (part.type === "text" ? part.text : "")).join("");
        const step = await recordStep(session, { role: "assistant", toolName: tool, toolArguments: args, toolResponse: text, isError: !response.ok, durationMs: response.durationMs });
        recordedSteps.set(response, step);
        return response;
      }),
    reset: (run) =>
      serialized(session.trajectoryId, async () => {
        const result = await run();
        recordedSteps.set(result, await recordStep(session, { role: "system", content: RESET_NOTE, durationMs: result.durationMs }));
        return result;
      }),
    finish: async (finalAnswer) => describeVerdict((await finishPlaytest(session, finalAnswer)).verdict),
  });
}

/** The verdict as the finishing agent reads it. */
function describeVerdict(verdict: StoredVerdict): string {
  const reason = verdict.error || verdict.reasoning;
  return `verdict: ${verdict.classification} (reward ${verdict.reward})${reason ? `\n${reason}` : ""}`;
}

/**
 * Ends the playtest: the final answer becomes the last step, the final database is stored, the
 * instance stops, and the task's code-mode verifier judges the trajectory.
 */
export async function finishPlaytest(session: PlaytestSession, finalAnswer: string): Promise<PlaytestFinishResult> {
  return serialized(session.trajectoryId, async () => {
    await openSession(session);
    const { cumulativeDiff } = await recordStep(session, { role: "assistant", content: finalAnswer, isFinal: true });
    await finishTrajectory(session.trajectoryId, { finalAnswer, finalDbFile: lastStateFile(session.trajectoryId) });
    await stopInstance(session.instanceId).catch(() => undefined);
    return { verdict: await verifyTrajectory(session.trajectoryId, "code"), cumulativeDiff };
  });
}

/** The trajectory of a playtest, checked to be one (and, unless allowed, not finished yet). */
export async function playtestTrajectory(trajectoryId: string, options: { allowFinished?: boolean } = {}): Promise<TrajectoryDetail> {
  const trajectory = await getTrajectory(trajectoryId);
  if (!trajectory) throw new NotFoundError(`no playtest ${trajectoryId}: no trajectory has that id`);
  if (trajectory.source !== "playtest") throw new ConflictError(`trajectory ${trajectory.id} is ${trajectory.source === "import" ? "an imported run" : "an agent run"}, not a playtest`);
  if (!options.allowFinished && trajectory.finalDbFile) throw new ConflictError(`playtest ${trajectory.id} is finished; start a new one to play again`);
  return trajectory;
}

/** The playtest's instance; a 404 when the manager no longer knows it, a 409 when it runs another environment. */
export function playtestInstance(trajectory: TrajectoryDetail, instanceId: string): InstanceInfo {
  const instance = getInstance(instanceId);
  if (instance.environment !== trajectory.environmentName) {
    throw new ConflictError(`instance ${instance.id} runs ${instance.environment}, but playtest ${trajectory.id} is in ${trajectory.environmentName}`);
  }
  return instance;
}

async function openSession(session: PlaytestSession): Promise<TrajectoryDetail> {
  const trajectory = await playtestTrajectory(session.trajectoryId);
  playtestInstance(trajectory, session.instanceId);
  return trajectory;
}

export async function taskText(environmentName: string, taskIdx: number): Promise<string> {
  const environment = await loadEnvironment(environmentName, { artifacts: ["tasks"] });
  const tasks = environment.artifacts.tasks?.record.tasks ?? [];
  const task = tasks[taskIdx];
  if (!Number.isInteger(taskIdx) || task === undefined) {
    throw new NotFoundError(noSuchTask(environmentName, taskIdx, tasks.length));
  }
  return task;
}

/** The state after the playtest's latest step. */
export function lastStateFile(trajectoryId: string): string {
  return path.join(trajectoryDir(trajectoryId), "playtest", "last.db");
}

function lastVersionFile(trajectoryId: string): string {
  return path.join(trajectoryDir(trajectoryId), "playtest", "last.version");
}

/** Makes `file` the playtest's latest state (moved, not copied); its version is not known until remembered. */
export function keepLastState(trajectoryId: string, file: string): void {
  fs.mkdirSync(path.dirname(lastStateFile(trajectoryId)), { recursive: true });
  fs.rmSync(lastVersionFile(trajectoryId), { force: true });
  fs.renameSync(file, lastStateFile(trajectoryId));
}

/**
 * The latest state's version, once the step that reached it is stored: a step that changed nothing
 * repeats the stored step's cumulative diff, so the version must never describe a state no stored step does.
 */
function rememberLastVersion(trajectoryId: string, version: string | undefined): void {
  if (version !== undefined) fs.writeFileSync(lastVersionFile(trajectoryId), version);
}

function lastStateVersion(trajectoryId: string): string | undefined {
  try {
    return fs.readFileSync(lastVersionFile(trajectoryId), "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Snapshots the instance, diffs it against the previous step and the start, and appends the step.
 */
async function recordStep(session: PlaytestSession, step: Parameters<typeof appendStep>[1]): Promise<PlaytestStepResult> {
  const trajectory = await getTrajectory(session.trajectoryId);
  if (!trajectory?.initialDbFile) throw new Error(`playtest ${session.trajectoryId} has no initial database`);
  const last = lastStateFile(session.trajectoryId);
  const previous = fs.existsSync(last) ? last : trajectory.initialDbFile;
  const now = await snapshotInstanceSince(session.instanceId, undefined, previous === last ? lastStateVersion(session.trajectoryId) : undefined);
  // Nothing committed since the previous step (no `now`): its state stands, nothing copied or diffed.
  let diffs: Omit<PlaytestStepResult, "step"> = { diff: emptyDiff(), cumulativeDiff: trajectory.steps.at(-1)?.cumulativeDiff ?? emptyDiff() };
  if (now) {
    diffs = { diff: await diffDatabases(previous, now.file), cumulativeDiff: await diffDatabases(trajectory.initialDbFile, now.file) };
    keepLastState(session.trajectoryId, now.file);
  }
  const stored = await appendStep(session.trajectoryId, { ...step, ...diffs });
  if (now) rememberLastVersion(session.trajectoryId, now.version);
  return { step: stored, ...diffs };
}

/** One step at a time per playtest: two overlapping calls would interleave their snapshots. */
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
