/**
 * Which verdict modes can run on a trajectory, and what each needs. code: the task's
 * verify_task_completion. sql: the task's verify_task for evidence, then the LLM judge; a free-text
 * task has no verifier, so there the judge reads the run's database change instead (judge-only).
 */
import fs from "node:fs";
import type { VerifierMode, VerifierRecord } from "../awm/types.ts";
import { undefinedIfNotFound } from "../errors.ts";
import { LlmNotConfiguredError, resolveLlmTarget } from "../llm/settings.ts";
import { currentArtifact, verifierKey } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { ENTRY_POINTS } from "./verifier-output.ts";

export interface JudgedTrajectory {
  environmentName: string;
  taskIdx: number | null;
  initialDbFile: string;
  finalDbFile: string;
}

/** What a mode runs: a verifier's code, or (sql on a free-text task) the judge alone. */
export type JudgeSetup = { verifierCode: string } | { judgeOnly: true } | { error: string };

export type JudgeAvailability = { available: true; judgeOnly: boolean } | { available: false; reason: string };
export type JudgeModes = Record<VerifierMode, JudgeAvailability>;

const VERIFIER_FILES: Record<VerifierMode, string> = { code: "gen_verifier.pure_code.jsonl", sql: "gen_verifier.jsonl" };

export async function judgeSetup(trajectory: JudgedTrajectory, mode: VerifierMode, db: StudioTx = studioDb()): Promise<JudgeSetup> {
  for (const [label, file] of [["initial", trajectory.initialDbFile], ["final", trajectory.finalDbFile]] as const) {
    if (!file) return { error: `the trajectory has no ${label} database` };
    if (!fs.existsSync(file)) return { error: `the trajectory's ${label} database is missing: ${file}` };
  }
  if (trajectory.taskIdx === null) {
    return mode === "sql" ? { judgeOnly: true } : { error: "a free-text task (\"task_id\": null in trajectory.json) has no verifier; judge it in sql mode, where the LLM judge reads the run's database change" };
  }
  const environment = await loadEnvironment(trajectory.environmentName, {}, db).catch(undefinedIfNotFound);
  if (!environment) return { error: `environment "${trajectory.environmentName}" is not in the library` };
  const artifact = await currentArtifact<VerifierRecord>(environment.id, "verifier", verifierKey(mode, trajectory.taskIdx), db);
  if (artifact) return { verifierCode: artifact.record.verification.code };
  const other: VerifierMode = mode === "sql" ? "code" : "sql";
  const hasOther = await currentArtifact(environment.id, "verifier", verifierKey(other, trajectory.taskIdx), db);
  return {
    error:
      `environment "${trajectory.environmentName}" has no ${mode}-mode verifier (${ENTRY_POINTS[mode]}, ${VERIFIER_FILES[mode]}) for task ${trajectory.taskIdx}` +
      (hasOther ? `; it has a ${other}-mode one: verify in ${other} mode` : ""),
  };
}

/** The tasks among `tasks` with no current verifier of `mode` (an environment not in the library has none). */
export async function tasksWithoutVerifier(environmentName: string, mode: VerifierMode, tasks: number[], db: StudioTx = studioDb()): Promise<number[]> {
  const environment = await loadEnvironment(environmentName, {}, db).catch(undefinedIfNotFound);
  if (!environment) return tasks;
  const missing: number[] = [];
  for (const taskIdx of tasks) if (!(await currentArtifact(environment.id, "verifier", verifierKey(mode, taskIdx), db))) missing.push(taskIdx);
  return missing;
}

/** Each mode's availability, so a page offers only the judging that can run (sql also needs a judge model). */
export async function judgeModes(trajectory: JudgedTrajectory, db: StudioTx = studioDb()): Promise<JudgeModes> {
  const availability = async (mode: VerifierMode): Promise<JudgeAvailability> => {
    const setup = await judgeSetup(trajectory, mode, db);
    if ("error" in setup) return { available: false, reason: setup.error };
    const noJudge = mode === "sql" ? await judgeModelMissing(db) : undefined;
    if (noJudge) return { available: false, reason: noJudge };
    return { available: true, judgeOnly: "judgeOnly" in setup };
  };
  const [code, sql] = await Promise.all([availability("code"), availability("sql")]);
  return { code, sql };
}

/** Why no judge model can be called (what to configure), or undefined when one is configured. */
export async function judgeModelMissing(db: StudioTx = studioDb()): Promise<string | undefined> {
  try {
    await resolveLlmTarget("judge", db);
    return undefined;
  } catch (error) {
    if (error instanceof LlmNotConfiguredError) return error.message;
    throw error;
  }
}
