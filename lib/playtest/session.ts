/**
 * A playtest: a person acting as the agent on one task. It is a live instance (from the instance
 * manager) plus a trajectory (source "playtest") whose recorder (recorder.ts) makes every call on
 * the instance a step with its database diffs. A page reload finds it again by the trajectory id
 * and the instance id (both in the page's URL).
 */
import path from "node:path";
import { recordedLive } from "../trajectories/sources.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { attachRecorder, callInstanceTool, createInstance, getInstance, instanceRecorder, resetInstance, snapshotInstanceSince, stopInstance, type InstanceInfo } from "../instances/manager.ts";
import type { ToolCallResult } from "../runtime/instance.ts";
import { createTrajectory, getTrajectory, trajectoryDir, type TrajectoryDetail } from "../trajectories/store.ts";
import { taskText } from "../store/task-text.ts";
import { PlaytestRecorder, recorderOf, type PlaytestFinishResult, type PlaytestSession, type PlaytestStepResult, type RecordingStart } from "./recorder.ts";

export type { PlaytestFinishResult, PlaytestSession, PlaytestStepResult } from "./recorder.ts";

export interface PlaytestCallResult extends PlaytestStepResult {
  response: ToolCallResult;
}

/** Who played: a person, not a model. */
export const PLAYTEST_MODEL = "human (playtest)";

/**
 * Starts an instance of `environmentName`, records its initial database and opens the trajectory;
 * from then on every call on the instance (MCP, REST, the page) is a step. `agent` names who plays;
 * `source` is "episode" when an outside agent does (episode.ts).
 */
export async function startPlaytest(
  environmentName: string,
  taskIdx: number,
  { agent = PLAYTEST_MODEL, source = "playtest" }: { agent?: string; source?: "playtest" | "episode" } = {},
): Promise<PlaytestSession> {
  const task = await taskText(environmentName, taskIdx);
  const instance = await createInstance(environmentName);
  try {
    const initial = await snapshotInstanceSince(instance.id, undefined, undefined);
    const { id } = await createTrajectory({ environmentName, taskIdx, task, source, model: agent, initialDbFile: initial.file, moveInitialDb: true });
    const session = { trajectoryId: id, instanceId: instance.id };
    recordSession(session, { initial: { ...initial, file: path.join(trajectoryDir(id), "initial.db") }, nextOrdinal: 0 });
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
  const recorder = await openSession(session);
  const response = await callInstanceTool(session.instanceId, tool, args, { validate: !raw });
  return { ...(await recorder.stepOf(response)), response };
}

/** Puts the instance back to its seed database; the reset is a step of its own, so the record stays honest. */
export async function resetPlaytest(session: PlaytestSession): Promise<PlaytestStepResult> {
  const recorder = await openSession(session);
  return recorder.stepOf(await resetInstance(session.instanceId));
}

/** Makes every call and reset on the session's instance, whoever sends it, a step of its trajectory. */
export function recordSession(session: PlaytestSession, start: RecordingStart): void {
  attachRecorder(session.instanceId, new PlaytestRecorder(session, start));
}

/**
 * Ends the playtest: the final answer becomes the last step, the final database is stored, the
 * instance stops, and the task's code-mode verifier judges the trajectory.
 */
export async function finishPlaytest(session: PlaytestSession, finalAnswer: string): Promise<PlaytestFinishResult> {
  return (await openSession(session)).finishPlaytest(finalAnswer);
}

/** The trajectory of a playtest, checked to be one (and, unless allowed, not finished yet). */
export async function playtestTrajectory(trajectoryId: string, options: { allowFinished?: boolean } = {}): Promise<TrajectoryDetail> {
  const trajectory = await getTrajectory(trajectoryId);
  if (!trajectory) throw new NotFoundError(`no playtest ${trajectoryId}: no trajectory has that id`);
  if (!recordedLive(trajectory.source)) throw new ConflictError(`trajectory ${trajectory.id} is ${trajectory.source === "import" ? "an imported run" : "an agent run"}, not a playtest`);
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

/** The recorder of a playtest that is not finished, on its own instance. */
async function openSession(session: PlaytestSession): Promise<PlaytestRecorder> {
  const trajectory = await playtestTrajectory(session.trajectoryId);
  playtestInstance(trajectory, session.instanceId);
  return recorderOf(session, instanceRecorder(session.instanceId));
}
