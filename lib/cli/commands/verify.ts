import { AlreadyImportedError } from "../../trajectories/import-run.ts";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { importAndReplayRun } from "../../trajectories/import-and-replay.ts";
import { NotFoundError } from "../../errors.ts";
import { UnknownTrajectoryError, type VerdictView } from "../../trajectories/store.ts";
import { verifyTrajectoryWithHeadline, type TrajectoryVerification } from "../../verify/verify-trajectory.ts";
import { UsageError, type CliIo } from "../output.ts";
import { verdictLine } from "../../awm/verdict.ts";

export const verifyUsage =
  "awm-studio verify <trajectory-id|run-folder> --mode code|sql [--json]   judge a trajectory (a run folder is imported first)";

export async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { mode: { type: "string" }, json: { type: "boolean" } },
  });
  const target = positionals[0];
  const mode = values.mode;
  if (!target || positionals.length > 1 || (mode !== "code" && mode !== "sql")) throw new UsageError(verifyUsage);
  // A folder is imported first, or, imported already, judged as that import.
  const trajectoryId = fs.existsSync(target) && fs.statSync(target).isDirectory() ? await importedRun(target) : target;
  const { verdict, trajectory } = await verifyTrajectoryWithHeadline(trajectoryId, mode).catch((error: unknown) => {
    throw error instanceof UnknownTrajectoryError && error.id === trajectoryId ? new NotFoundError(`${error.message} (and no run folder at that path)`) : error;
  });
  io.out(values.json ? JSON.stringify(jsonVerdict(trajectory, verdict), null, 2) : textVerdict(trajectory, verdict));
  return verdict.classification === "judge_error" ? 1 : 0;
}

/** `judgedDatabaseNote`: set when the run's replay diverged, saying which final database was judged. */
function jsonVerdict(trajectory: TrajectoryVerification["trajectory"], verdict: VerdictView) {
  const { mode, classification, reward, reasoning, confidence, evidence, verifierOutput, error } = verdict;
  return { trajectoryId: trajectory.id, mode, verdict: classification, reward: classification === "judge_error" ? null : reward, reasoning, confidence, evidence, verifierOutput, error, judgedDatabaseNote: trajectory.judgedDatabaseNote ?? null };
}

function textVerdict(trajectory: TrajectoryVerification["trajectory"], verdict: VerdictView): string {
  const failed = verdict.classification === "judge_error";
  const judgeOnly = verdict.mode === "sql" && trajectory.taskIdx === null ? ", judge-only: a free-text task has no verifier" : "";
  const lines = [`Trajectory ${trajectory.id} (${verdict.mode} mode${judgeOnly}): ${verdictLine(verdict.classification, verdict.reward)}${failed ? " (the run could not be judged)" : ""}`];
  if (!failed && trajectory.judgedDatabaseNote) lines.push(trajectory.judgedDatabaseNote);
  if (failed && trajectory.verdictClass !== "judge_error") lines.push(`the trajectory keeps its earlier verdict: ${verdictLine(trajectory.verdictClass ?? "", trajectory.reward)}`);
  if (verdict.reasoning) lines.push(`reasoning: ${verdict.reasoning}`);
  const confidence = Object.entries(verdict.confidence);
  if (confidence.length) lines.push(`confidence: ${confidence.map(([name, value]) => `${name} ${value}`).join(", ")}`);
  if (verdict.error) lines.push(`error: ${verdict.error}`);
  else if (verdict.verifierOutput) lines.push(`verifier output: ${verdict.verifierOutput}`);
  return lines.join("\n");
}

async function importedRun(folder: string): Promise<string> {
  try {
    return (await importAndReplayRun(folder)).imported.trajectoryId;
  } catch (error) {
    if (error instanceof AlreadyImportedError) return error.trajectoryId;
    throw error;
  }
}
