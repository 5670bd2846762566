/**
 * A playtest whose instance crashed (out of memory, a kill, a call that hung) or is gone goes on in a
 * fresh instance: its recorded tool calls and resets are replayed there in order, which rebuilds the
 * state the playtest had reached. The recorded steps stay as they were; the replayed state is
 * compared with the one recorded after the last step, and any difference is reported.
 */
import fs from "node:fs";
import { diffDatabases, type DbDiff } from "../diff/sqlite-diff.ts";
import type { Snapshot } from "../runtime/instance.ts";
import { NotFoundError } from "../errors.ts";
import { callInstanceTool, createInstance, getInstance, resetInstance, snapshotInstanceSince, stopInstance } from "../instances/manager.ts";
import { isEmptyDiff } from "../trajectories/diff-shape.ts";
import { withoutTimestampOnlyUpdates } from "../trajectories/replay.ts";
import { isResetStep, RESET_NOTE } from "../trajectories/reset-step.ts";
import { episodeSnapshotsDir, insertStep, type NewStep } from "../trajectories/store.ts";
import { journaledFrom } from "./call-journal.ts";
import { keepLastState, lastStateFile, recordingInstance, refusedStep, serialized, settleRecording } from "./recorder.ts";
import { playtestTrajectory, recordSession, type PlaytestSession } from "./session.ts";
import { ConflictError, messageOf } from "../errors.ts";

export interface PlaytestRestartResult extends PlaytestSession {
  /** Tool calls and resets replayed onto the new instance. */
  replayedSteps: number;
  /** Rows where the rebuilt state differs from the recorded one (timestamps aside); absent when equal. */
  divergence?: DbDiff;
}

/** What a step answered before the studio stopped says in place of its answer. */
export const LOST_ANSWER = "[playtest] answered before the studio stopped, which then lost this call's answer and database diffs; the restart replayed it";

/** Restarts done, by playtest and old instance: asking twice (a double click) gives the same instance. */
const restarts = new Map<string, PlaytestRestartResult>();

export async function restartPlaytest(session: PlaytestSession): Promise<PlaytestRestartResult> {
  return serialized(session.trajectoryId, async () => {
    const key = `${session.trajectoryId}/${session.instanceId}`;
    const earlier = restarts.get(key);
    if (earlier && instanceStatus(earlier.instanceId) === "running") return earlier;
    // Only the instance the playtest is on goes on in a new one: a page or agent left on an older one cannot fork the playtest.
    const current = recordingInstance(session.trajectoryId);
    if (current !== undefined && current !== session.instanceId) {
      throw new ConflictError(`playtest ${session.trajectoryId} went on in instance ${current}, not ${session.instanceId}: go on there (restart that one if it stopped)`);
    }
    await settleRecording(session.trajectoryId);
    const old = instanceStatus(session.instanceId);
    if (old === "running" || old === "starting") throw new ConflictError(`instance ${session.instanceId} is ${old}: only a playtest whose instance crashed or stopped is restarted`);
    await recordLostSteps(session.trajectoryId);
    const trajectory = await playtestTrajectory(session.trajectoryId);
    if (!trajectory.initialDbFile) throw new ConflictError(`playtest ${trajectory.id} has no initial database to go on from`);
    const initialDbFile = trajectory.initialDbFile;
    const replayed = trajectory.steps.filter((step) => isResetStep(step) || (step.toolName !== null && !step.isFinal));
    const { id } = await createInstance(trajectory.environmentName);
    let rebuilt: Snapshot, divergence: DbDiff, cumulativeDiff: DbDiff;
    try {
      for (const step of replayed) {
        if (isResetStep(step)) await resetInstance(id);
        // As the call was sent: a raw one was never checked against the tool's schema.
        else await callInstanceTool(id, step.toolName!, (step.toolArguments ?? {}) as Record<string, unknown>, { validate: false });
      }
      rebuilt = await snapshotInstanceSince(id, episodeSnapshotsDir(trajectory.id), undefined);
      // Where it stands is the rebuilt state, which may differ from the recorded one: its change since the start is diffed anew.
      cumulativeDiff = await diffDatabases(initialDbFile, rebuilt.file);
      // Before any step changed the database the recorded state is the initial one: that diff is the one just made.
      const last = lastStateFile(trajectory.id);
      divergence = withoutTimestampOnlyUpdates(fs.existsSync(last) ? await diffDatabases(last, rebuilt.file) : cumulativeDiff);
    } catch (error) {
      await stopInstance(id).catch(() => undefined);
      const reason = messageOf(error);
      throw new ConflictError(`replaying playtest ${trajectory.id} onto a fresh instance failed: ${reason}`);
    }
    keepLastState(trajectory.id, rebuilt.file);
    const resume = { latest: rebuilt, cumulativeDiff };
    recordSession({ trajectoryId: trajectory.id, instanceId: id }, { initial: { file: initialDbFile }, resume, nextOrdinal: trajectory.steps.length });
    const result = { trajectoryId: trajectory.id, instanceId: id, replayedSteps: replayed.length, ...(!isEmptyDiff(divergence) && { divergence }) };
    restarts.set(key, result);
    return result;
  });
}

/**
 * Calls and resets answered but never written (the studio stopped between the answer and its step,
 * see call-journal.ts) become steps, their answers and diffs lost, so the replay runs them too.
 */
async function recordLostSteps(trajectoryId: string): Promise<void> {
  const stored = (await playtestTrajectory(trajectoryId)).steps.length;
  for (const [index, entry] of journaledFrom(trajectoryId, stored).entries()) {
    const step: NewStep =
      entry.kind === "reset" ? { role: "system", content: RESET_NOTE } : entry.kind === "refused" ? refusedStep(entry.tool, entry.args, entry.reason) : { role: "assistant", toolName: entry.tool, toolArguments: entry.args, toolResponse: LOST_ANSWER };
    await insertStep(trajectoryId, stored + index, step);
  }
}

function instanceStatus(instanceId: string): string {
  try {
    return getInstance(instanceId).status;
  } catch (error) {
    if (error instanceof NotFoundError) return "gone";
    throw error;
  }
}
