/**
 * Imports an AWM agent run folder (trajectory.json, optional initial.db / final.db and
 * verify.code.json / verify.sql.json) as a studio trajectory of a library environment.
 */
import fs from "node:fs";
import path from "node:path";
import { normalizeScenarioName } from "../awm/normalize.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadTrajectoryEnvironment } from "./environment.ts";
import { parseJsonText } from "./json-text.ts";
import { parseRun } from "./parse-run.ts";
import { VERIFY_FILES, verdictFromRunFile } from "./run-verdicts.ts";
import { addVerdict, createTrajectory, deleteTrajectory, finishTrajectory, replaceSteps, type VerdictMode } from "./store.ts";

export interface ImportRunOptions {
  /** Environment to use instead of the one trajectory.json's scenario names. */
  scenario?: string;
  /** Where the run came from, when not the folder itself (an upload). */
  importedFrom?: string;
  db?: StudioTx;
}

export interface ImportedRun {
  trajectoryId: string;
  environmentName: string;
  taskIdx: number;
  steps: number;
  malformedSteps: number;
  verdicts: VerdictMode[];
  hasDatabases: { initial: boolean; final: boolean };
  /** Things worth knowing that did not stop the import (e.g. task text differs from the library's). */
  warnings: string[];
}

export const RUN_FILE = "trajectory.json";

/** A run folder the studio cannot take as it is: what is missing or malformed, and where. */
export class RunFolderError extends Error {
  override name = "RunFolderError";
}

export async function importRunFolder(folder: string, options: ImportRunOptions = {}): Promise<ImportedRun> {
  const db = options.db ?? studioDb();
  const dir = path.resolve(folder);
  const { text, run, environmentName, libraryTask, warnings } = await readRunFolder(dir, options, db).catch((error: Error) => {
    throw error instanceof RunFolderError ? error : new RunFolderError(error.message, { cause: error });
  });
  const initialDb = existing(path.join(dir, "initial.db"));
  const finalDb = existing(path.join(dir, "final.db"));
  const { id } = await createTrajectory(
    { environmentName, taskIdx: run.taskIdx, task: run.task ?? libraryTask, source: "import", model: run.model, importedFrom: options.importedFrom ?? dir, raw: text, initialDbFile: initialDb },
    db,
  ).catch((error: Error) => {
    throw new RunFolderError(error.message, { cause: error });
  });
  try {
    await replaceSteps(id, run.steps, db);
    await finishTrajectory(id, { finalAnswer: run.finalAnswer, finalDbFile: finalDb }, db);
    const verdicts: VerdictMode[] = [];
    for (const mode of ["code", "sql"] as const) {
      const file = existing(path.join(dir, VERIFY_FILES[mode]));
      if (!file) continue;
      const verdictText = fs.readFileSync(file, "utf8");
      await addVerdict(id, verdictFromRunFile(mode, parseJsonText(verdictText, file), verdictText), db);
      verdicts.push(mode);
    }
    return {
      trajectoryId: id,
      environmentName,
      taskIdx: run.taskIdx,
      steps: run.steps.length,
      malformedSteps: run.steps.filter((step) => step.malformed).length,
      verdicts,
      hasDatabases: { initial: Boolean(initialDb), final: Boolean(finalDb) },
      warnings,
    };
  } catch (error) {
    await deleteTrajectory(id, db);
    // What fails here is the folder's own files: a database that is not SQLite, a verdict that is not JSON.
    throw new RunFolderError((error as Error).message, { cause: error });
  }
}

async function readRunFolder(dir: string, options: ImportRunOptions, db: StudioTx) {
  const runFile = path.join(dir, RUN_FILE);
  if (!fs.existsSync(runFile)) throw new Error(`${dir} is not an AWM run folder: it has no ${RUN_FILE}`);
  const text = fs.readFileSync(runFile, "utf8");
  const value = parseJsonText(text, runFile);
  const logged = typeof (value as { scenario?: unknown })?.scenario === "string" ? (value as { scenario: string }).scenario : undefined;
  const scenario = options.scenario ?? logged;
  if (!scenario) throw new Error(`${runFile}: no "scenario" field; pass --scenario NAME to say which environment the run belongs to`);
  const environmentName = normalizeScenarioName(scenario);
  const environment = await loadTrajectoryEnvironment(environmentName, db).catch((error: Error) => {
    throw new Error(`${runFile}: scenario "${scenario}" (normalized "${environmentName}"): ${error.message}`);
  });
  const run = parseRun(value, runFile, environment.toolNames);
  const libraryTask = environment.tasks[run.taskIdx];
  if (libraryTask === undefined) {
    throw new Error(`${runFile}: task_id ${run.taskIdx} is out of range: environment "${environmentName}" has ${environment.tasks.length} task(s) (0..${environment.tasks.length - 1})`);
  }
  const warnings: string[] = [];
  if (run.task !== undefined && run.task.trim() !== libraryTask.trim()) {
    warnings.push(`task text in ${RUN_FILE} differs from task ${run.taskIdx} of "${environmentName}" in the library; the run's text is kept`);
  }
  return { text, run, environmentName, libraryTask, warnings };
}

function existing(file: string): string | undefined {
  return fs.existsSync(file) ? file : undefined;
}
