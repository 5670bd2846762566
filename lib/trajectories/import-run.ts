/**
 * Imports an AWM agent run folder (trajectory.json, optional initial.db / final.db and
 * verify.code.json / verify.sql.json) as a studio trajectory of a library environment.
 */
import fs from "node:fs";
import path from "node:path";
import { normalizeScenarioName } from "../awm/normalize.ts";
import { VERIFIER_MODES, type VerifierMode } from "../awm/types.ts";
import { InputRefusedError } from "../input/input-file.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadTrajectoryEnvironment, type TrajectoryEnvironment } from "./environment.ts";
import { parseJsonText } from "./json-text.ts";
import { parseRun, type ParsedRun } from "./parse-run.ts";
import { RUN_FILE, scratchRunFolder, stageRunFolder } from "./run-files.ts";
import { VERIFY_FILES, verdictFromRunFile } from "./run-verdicts.ts";
import { addVerdict, createTrajectory, finishTrajectory, incomingTrajectoryDir, replaceSteps, trajectoryDir, type NewVerdict } from "./store.ts";
import { findTaskIndex, normalizeTaskText } from "./task-text.ts";
import { ConflictError, messageOf } from "../errors.ts";
import { noSuchTask } from "../awm/no-such-task.ts";

export interface ImportRunOptions {
  /** Environment to use instead of the one trajectory.json's scenario names. */
  scenario?: string;
  /** Where the run came from, when not the folder itself (an upload). */
  importedFrom?: string;
}

export interface ImportedRun {
  trajectoryId: string;
  environmentName: string;
  /** null for a free-text task that matches none of the environment's tasks. */
  taskIdx: number | null;
  steps: number;
  malformedSteps: number;
  verdicts: VerifierMode[];
  hasDatabases: { initial: boolean; final: boolean };
  /** Things worth knowing that did not stop the import (e.g. task text differs from the library's). */
  warnings: string[];
}

export { RUN_FILE };

/** A run folder the studio cannot take as it is: what is missing or malformed, and where. */
/** The run, as its trajectory.json reads, was imported from the same place before: `trajectoryId` is that import. */
export class AlreadyImportedError extends ConflictError {
  constructor(
    importedFrom: string,
    readonly trajectoryId: string,
  ) {
    super(`this run was imported from ${importedFrom} already, as trajectory ${trajectoryId}: a second copy would count twice in curation and exports (delete that trajectory to import it again)`);
  }
}

export class RunFolderError extends Error {
  override name = "RunFolderError";
}

/**
 * The folder's run files are first copied into a staging folder (regular files only, links kept
 * inside the folder, every file under its cap: see run-files.ts); everything after reads the copies.
 * Refused files throw InputRefusedError (InputTooLargeError when over a cap), the rest RunFolderError.
 */
export async function importRunFolder(folder: string, options: ImportRunOptions = {}): Promise<ImportedRun> {
  const dir = path.resolve(folder);
  const staging = scratchRunFolder();
  try {
    try {
      stageRunFolder(dir, staging);
    } catch (error) {
      throw error instanceof InputRefusedError ? error : new RunFolderError(messageOf(error), { cause: error });
    }
    return await importStagedRun({ dir, staging }, options);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** `dir` names files in messages; `staging` holds the copies that are read. */
interface RunFolder {
  dir: string;
  staging: string;
}

/**
 * The run's databases are copied first, into a folder of the trajectories' own (a copy can take
 * seconds, and no transaction waits on it); then its row, steps, final answer and verdicts are
 * written in one transaction, which also moves that folder into place. A process killed midway
 * leaves no trajectory, only a folder no row names, which the next start sweeps (sweepTrajectoryFolders).
 */
async function importStagedRun(folder: RunFolder, options: ImportRunOptions): Promise<ImportedRun> {
  const { dir, staging } = folder;
  const inDir = (error: unknown) => new RunFolderError(messageOf(error).replaceAll(staging, dir), { cause: error });
  const { text, run, environmentName, task, warnings } = await readRunFolder(folder, options, studioDb()).catch((error: Error) => {
    throw error instanceof RunFolderError ? error : new RunFolderError(error.message, { cause: error });
  });
  const importedFrom = options.importedFrom ?? dir;
  // The same run from the same place once: a second copy would count twice in curation and exports.
  const earlier = await studioDb().trajectory.findFirst({ where: { source: "import", importedFrom, raw: text }, select: { id: true } });
  if (earlier) throw new AlreadyImportedError(importedFrom, earlier.id);
  // What fails before the transaction is the folder's own files: a database that is not SQLite, a verdict that is not JSON.
  const verdicts = readVerdictFiles(folder);
  const incoming = incomingTrajectoryDir();
  try {
    const databases = await copyRunDatabases(staging, incoming).catch((error: unknown) => {
      throw inDir(error);
    });
    const id = await studioDb().$transaction(async (tx) => {
      const { id } = await createTrajectory({ environmentName, taskIdx: task.taskIdx, task: task.text, source: "import", model: run.model, importedFrom, raw: text }, tx);
      fs.renameSync(incoming, trajectoryDir(id));
      await tx.trajectory.update({ where: { id }, data: inTrajectoryDir(id, databases), select: { id: true } });
      await replaceSteps(id, run.steps, tx);
      await finishTrajectory(id, { finalAnswer: run.finalAnswer }, tx);
      for (const verdict of verdicts) await addVerdict(id, verdict.verdict, tx);
      return id;
    }, { timeout: IMPORT_TRANSACTION_MS });
    return {
      trajectoryId: id,
      environmentName,
      taskIdx: task.taskIdx,
      steps: run.steps.length,
      malformedSteps: run.steps.filter((step) => step.malformed).length,
      verdicts: verdicts.map((verdict) => verdict.mode),
      hasDatabases: { initial: databases.initial, final: databases.final },
      warnings,
    };
  } finally {
    // Gone once moved into place; left when anything failed before.
    fs.rmSync(incoming, { recursive: true, force: true });
  }
}

/** A run's row, its steps (at most MAX_RUN_STEPS) and verdicts, written at once: far less than this. */
const IMPORT_TRANSACTION_MS = 60_000;

function readVerdictFiles({ dir, staging }: RunFolder): { mode: VerifierMode; verdict: NewVerdict }[] {
  return VERIFIER_MODES.flatMap((mode) => {
    const file = existing(path.join(staging, VERIFY_FILES[mode]));
    if (!file) return [];
    const verdictText = fs.readFileSync(file, "utf8");
    try {
      return [{ mode, verdict: verdictFromRunFile(mode, parseJsonText(verdictText, path.join(dir, VERIFY_FILES[mode])), verdictText) }];
    } catch (error) {
      throw new RunFolderError(messageOf(error).replaceAll(staging, dir), { cause: error });
    }
  });
}

/**
 * Copies the staged databases there (as initial.db, final.db) byte for byte; says which there were.
 * The run's databases are hostile: SQLite opens them only in the database reader's process, never
 * in the studio's. A file that does not start with SQLite's header is refused by name here.
 */
async function copyRunDatabases(staging: string, target: string): Promise<{ initial: boolean; final: boolean }> {
  const copied = { initial: false, final: false };
  for (const name of ["initial", "final"] as const) {
    const file = existing(path.join(staging, `${name}.db`));
    if (!file) continue;
    if (!startsWithSqliteHeader(file)) throw new Error(`${file}: not an SQLite database (it does not begin with SQLite's file header)`);
    await fs.promises.copyFile(file, path.join(target, `${name}.db`), fs.constants.COPYFILE_EXCL);
    copied[name] = true;
  }
  return copied;
}

/** "SQLite format 3" and a NUL: the first 16 bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

function startsWithSqliteHeader(file: string): boolean {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

function inTrajectoryDir(id: string, databases: { initial: boolean; final: boolean }): { initialDbFile?: string; finalDbFile?: string } {
  return {
    ...(databases.initial && { initialDbFile: path.join(trajectoryDir(id), "initial.db") }),
    ...(databases.final && { finalDbFile: path.join(trajectoryDir(id), "final.db") }),
  };
}

async function readRunFolder({ dir, staging }: RunFolder, options: ImportRunOptions, db: StudioTx) {
  const runFile = path.join(dir, RUN_FILE);
  const stagedRunFile = path.join(staging, RUN_FILE);
  if (!fs.existsSync(stagedRunFile)) throw new Error(`${dir} is not an AWM run folder: it has no ${RUN_FILE}`);
  const text = fs.readFileSync(stagedRunFile, "utf8");
  const value = parseJsonText(text, runFile);
  const logged = typeof (value as { scenario?: unknown })?.scenario === "string" ? (value as { scenario: string }).scenario : undefined;
  const scenario = options.scenario ?? logged;
  if (!scenario) throw new Error(`${runFile}: no "scenario" field; pass --scenario NAME to say which environment the run belongs to`);
  const environmentName = normalizeScenarioName(scenario);
  const environment = await loadTrajectoryEnvironment(environmentName, db).catch((error: Error) => {
    throw new Error(`${runFile}: scenario "${scenario}" (normalized "${environmentName}"): ${error.message}`);
  });
  const run = parseRun(value, runFile, environment.toolNames);
  const { warnings, ...task } = resolveTask(run, environment, runFile);
  return { text, run, environmentName, task, warnings };
}

/**
 * Which task the run did, read from its text whenever it has one: a task is judged by its verifier,
 * and a verifier judges the task whose text it was written for. A null task_id, or a task_id whose
 * library task now has another text (a regenerated tasks stage, a run of another environment),
 * takes the index of the environment task with the run's text; a text that matches none stays a
 * task of its own, without a verifier.
 */
function resolveTask(run: ParsedRun, environment: TrajectoryEnvironment, runFile: string): { taskIdx: number | null; text: string; warnings: string[] } {
  const name = environment.name;
  if (run.taskIdx !== null) {
    const libraryTask = environment.tasks[run.taskIdx];
    if (libraryTask === undefined) throw new Error(`${runFile}: task_id ${run.taskIdx}: ${noSuchTask(name, run.taskIdx, environment.tasks.length)}`);
    if (run.task === undefined || normalizeTaskText(run.task) === normalizeTaskText(libraryTask)) return { taskIdx: run.taskIdx, text: run.task ?? libraryTask, warnings: [] };
  }
  if (!run.task?.trim()) throw new Error(`${runFile}: "task_id" is null and there is no "task" text, so nothing says what the run was asked to do`);
  const said = run.taskIdx === null ? `"task_id" is null in ${RUN_FILE}` : `the task text in ${RUN_FILE} is not the text of task ${run.taskIdx} of "${name}" in the library`;
  const matched = findTaskIndex(run.task, environment.tasks);
  if (matched !== undefined) return { taskIdx: matched, text: run.task, warnings: [`${said}; it is the text of task ${matched} of "${name}", so it is imported as that task`] };
  return {
    taskIdx: null,
    text: run.task,
    warnings: [`${said}, and it matches none of the ${environment.tasks.length} task(s) of "${name}": imported as a free-text task, which has no verifier (the LLM judge can still classify it from the database change)`],
  };
}

function existing(file: string): string | undefined {
  return fs.existsSync(file) ? file : undefined;
}
