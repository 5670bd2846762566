/**
 * Re-executes a trajectory's tool calls, in order, on a fresh sandboxed instance of its environment,
 * snapshotting the database after each call to store the step's diff and the cumulative diff. When
 * the run recorded a final database, the replayed one is compared with it: rows that differ mean
 * the environment did not behave as it did in the run (divergence).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { diffDatabases, type DbDiff, type TableDiff } from "../diff/sqlite-diff.ts";
import { instanceLimits, instanceManagerLimits } from "../runtime/limits.ts";
import { InstanceUnavailableError, startInstance, type EnvironmentInstance } from "../runtime/instance.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { isEmptyDiff } from "./diff-shape.ts";
import { isResetStep } from "./reset-step.ts";
import { loadTrajectoryEnvironment } from "./environment.ts";
import { getTrajectory, replayDir, setReplayResult, setStepDiffs, setTrajectoryDatabases, UnknownTrajectoryError, type ReplayStatus, type StepView, type TrajectoryDetail } from "./store.ts";
import { ConflictError, messageOf } from "../errors.ts";
import { inPlay } from "./in-play.ts";

export interface ReplayResult {
  status: Exclude<ReplayStatus, "none">;
  /** Tool calls re-executed. */
  replayedCalls: number;
  /** What the run changed: the initial database → the replayed final one (absent when the replay failed). */
  netChange?: DbDiff;
  /** Rows where the replayed final database differs from the recorded final.db (empty when none); absent without a recorded final.db. */
  divergence?: DbDiff;
  /**
   * Recorded calls the environment could not make ("step 3 (waive_all_fines): unknown tool …"): the
   * run did something this environment cannot, so the replay diverged whatever the databases say.
   */
  refused: string[];
  error?: string;
}

/** Tools of AWM's agent protocol that only describe the environment. */
const META_TOOLS = new Set(["list_tools"]);

export async function replayTrajectory(id: string, options: { db?: StudioTx } = {}): Promise<ReplayResult> {
  const db = options.db ?? studioDb();
  const trajectory = await getTrajectory(id, db);
  if (!trajectory) throw new UnknownTrajectoryError(id);
  refuseUnfinished(trajectory);
  let result: ReplayResult;
  try {
    result = await replaySteps(trajectory, db);
  } catch (error) {
    result = { status: "failed", replayedCalls: 0, refused: [], error: messageOf(error) };
  }
  const problem = result.error ?? (result.refused.length > 0 ? `the environment refused ${result.refused.length === 1 ? "a recorded call" : `${result.refused.length} recorded calls`}:\n${result.refused.join("\n")}` : undefined);
  await setReplayResult(id, { status: result.status, finalDiff: result.status === "diverged" ? result.divergence : undefined, error: problem }, db);
  return result;
}

/**
 * A playtest or agent run still in play has no final database yet: a replay would give it the
 * replay's, and a playtest with a final database counts as finished (its agent could not finish it,
 * its verdict would judge a state it had left). It is replayed once it ends.
 */
function refuseUnfinished(trajectory: TrajectoryDetail): void {
  if (!inPlay(trajectory)) return;
  if (trajectory.source === "agent") throw new ConflictError(`agent run ${trajectory.id} is still playing: replay it once it has ended`);
  throw new ConflictError(`playtest ${trajectory.id} is not finished: finish it (the finish_episode tool, \`awm-studio episode finish\` or its page), then replay it`);
}

async function replaySteps(trajectory: TrajectoryDetail, db: StudioTx): Promise<ReplayResult> {
  const environment = await loadTrajectoryEnvironment(trajectory.environmentName, db);
  if (!environment.code) throw new Error(`environment "${environment.name}" has no interface code (gen_envs.jsonl full_code) to replay on`);
  const dir = replayDir(trajectory.id);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // The instance runs in a short temp path: its Unix socket path must stay under 108 bytes.
  const instanceDir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-replay-"));
  const limits = instanceManagerLimits();
  let instance: EnvironmentInstance | undefined;
  try {
    instance = await startInstance({
      code: environment.code,
      seedDbFile: trajectory.initialDbFile || environment.seedDbFile,
      dir: instanceDir,
      limits: instanceLimits(limits),
      allowUnsandboxed: limits.allowUnsandboxed,
    });
    const initialFile = await instance.snapshot(path.join(dir, "initial.db"));
    const calls = trajectory.steps.filter((step) => isResetStep(step) || (step.toolName && !step.malformed && !META_TOOLS.has(step.toolName)));
    let previousFile = initialFile;
    const refused: string[] = [];
    for (const step of calls) {
      const durationMs = isResetStep(step) ? await resetInstance(instance) : await callRecordedTool(instance, step, refused);
      const currentFile = await instance.snapshot(path.join(dir, `after-step-${step.ordinal}.db`));
      await setStepDiffs(trajectory.id, step.ordinal, { diff: await diffDatabases(previousFile, currentFile), cumulativeDiff: await diffDatabases(initialFile, currentFile), durationMs }, db);
      if (previousFile !== initialFile) fs.rmSync(previousFile);
      previousFile = currentFile;
    }
    const finalFile = path.join(dir, "final.db");
    if (previousFile === initialFile) fs.copyFileSync(initialFile, finalFile);
    else fs.renameSync(previousFile, finalFile);
    const replayed = { replayedCalls: calls.filter((step) => !isResetStep(step)).length, netChange: await diffDatabases(initialFile, finalFile), refused };

    if (!trajectory.finalDbFile) {
      await setTrajectoryDatabases(trajectory.id, { initialDbFile: trajectory.initialDbFile ? undefined : initialFile, finalDbFile: finalFile }, db);
      return { status: refused.length > 0 ? "diverged" : "ok", ...replayed };
    }
    const divergence = withoutTimestampOnlyUpdates(await diffDatabases(finalFile, trajectory.finalDbFile));
    return { status: isEmptyDiff(divergence) && refused.length === 0 ? "ok" : "diverged", ...replayed, divergence };
  } finally {
    await instance?.stop();
    fs.rmSync(instanceDir, { recursive: true, force: true });
  }
}

async function resetInstance(instance: EnvironmentInstance): Promise<number> {
  const started = performance.now();
  await instance.reset();
  return Math.round(performance.now() - started);
}

/** Calls the step's tool; a call the environment rejects changes nothing and the replay goes on. */
/** Makes the recorded call; one the environment cannot make (no such tool, arguments no request can carry) is added to `refused`. */
async function callRecordedTool(instance: EnvironmentInstance, step: StepView, refused: string[]): Promise<number> {
  const started = performance.now();
  try {
    await instance.callTool(step.toolName!, (step.toolArguments ?? {}) as Record<string, unknown>);
  } catch (error) {
    if (error instanceof InstanceUnavailableError) throw new Error(`replay stopped at step ${step.ordinal} (${step.toolName}): ${error.message}`, { cause: error });
    refused.push(`step ${step.ordinal + 1} (${step.toolName}): ${messageOf(error)}`);
  }
  return Math.round(performance.now() - started);
}

/** A wall-clock stamp has a time of day; a bare date (a due date, a booking day) is data. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Drops updated rows whose every changed cell is a timestamp on both sides: tools stamp rows with
 * the wall clock, so a faithful replay differs from the run there and nowhere else.
 */
export function withoutTimestampOnlyUpdates(diff: DbDiff): DbDiff {
  const tables: Record<string, TableDiff> = {};
  for (const [name, table] of Object.entries(diff.tables)) {
    const updated = table.updated.filter((update) => !update.changed.every((column) => isTimestamp(update.before[column]) && isTimestamp(update.after[column])));
    if (table.inserted.length + table.deleted.length + updated.length > 0) tables[name] = { ...table, updated };
  }
  return { ...diff, tables };
}

function isTimestamp(value: unknown): boolean {
  return typeof value === "string" && TIMESTAMP.test(value);
}
