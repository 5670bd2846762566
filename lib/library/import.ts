import fs from "node:fs";
import path from "node:path";
import { groupIssuesByCause, type IssueProblem } from "../awm/issue-causes.ts";
import { readAwmFolder, type FolderError, type FolderReadResult } from "../awm/read-folder.ts";
import type { AwmBundle, EnvironmentCounts, IssueLocation, PipelineStage } from "../awm/types.ts";
import { environmentDir } from "../config/paths.ts";
import { appendArtifactVersions, latestVersions } from "../store/artifacts.ts";
import { studioDb, type StudioDb } from "../store/db.ts";
import type { ImportState } from "../store/environments.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { draftsFromBundle } from "../store/bundle.ts";
import {
  claimInterruptedRun,
  createImportRun,
  finishImportRun,
  markInterruptedImports,
  ownImportRun,
  type EnvironmentImportStatus,
  type ImportRunProgress,
} from "./import-runs.ts";
import { keptArtifacts, type KeptArtifact } from "./kept-artifacts.ts";
import { revalidateEnvironment } from "./validate-environment.ts";
import { messageOf, undefinedIfNotFound } from "../errors.ts";

export interface ImportIssue {
  stage: PipelineStage;
  severity: "error" | "warning";
  where: string;
  message: string;
  location: IssueLocation;
}

export interface ImportedEnvironment {
  scenario: string;
  name: string;
  status: EnvironmentImportStatus;
  counts: EnvironmentCounts;
  issues: ImportIssue[];
  /** The issues as problems: each a cause and the issues that follow from it, by index in `issues`. */
  problems: IssueProblem[];
  /** Artifacts kept at their earlier version: the folder had their file but no readable record. Absent in reports stored before it was added. */
  kept?: KeptArtifact[];
}

export interface ImportReport {
  /** The ImportRun record; `resumeImport(runId)` continues it if this process dies. */
  runId: string;
  folder: string;
  environments: ImportedEnvironment[];
  errors: FolderError[];
}

export interface ImportProgress {
  done: number;
  total: number;
  name: string;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  db?: StudioDb;
  /** Run every verifier on (seed, seed) as part of validation (default true). */
  verifierHealth?: boolean;
  /** Validate environments the folder did not change too (default false: their stored results stand). */
  revalidate?: boolean;
}

/**
 * Imports every environment of an AWM-format folder: appends a version for each artifact whose
 * content changed (re-import is idempotent), and for an environment that is new or changed rebuilds
 * its seed database and validates it (an unchanged one keeps its stored results unless `revalidate`).
 * A broken record or environment never stops the others; everything broken is in the report.
 * An environment becomes visible only once whole (see importBundle); if the process dies, the run
 * is marked interrupted by the next process that looks and `resumeImport` finishes it.
 */
export async function importFolder(folder: string, options: ImportOptions = {}): Promise<ImportReport> {
  const db = options.db ?? studioDb();
  const absolute = path.resolve(folder);
  await markInterruptedImports(db);
  const runId = await createImportRun(absolute, db);
  return runImport(runId, absolute, {}, options, db);
}

/** Continues an interrupted import: environments it finished are reported as they are, the rest imported. */
export async function resumeImport(runId: string, options: ImportOptions = {}): Promise<ImportReport> {
  const db = options.db ?? studioDb();
  const { folder, progress } = await claimInterruptedRun(runId, db);
  return runImport(runId, folder, progress.done, options, db);
}

async function runImport(runId: string, folder: string, done: ImportRunProgress["done"], options: ImportOptions, db: StudioDb): Promise<ImportReport> {
  const progress: Omit<ImportRunProgress, "owner"> = { done: { ...done } };
  return ownImportRun(
    runId,
    () => progress,
    async (save) => {
      try {
        const read = readAwmFolder(folder);
        const { bundles, errors } = read;
        progress.total = bundles.length;
        await save();
        const report: ImportReport = { runId, folder, environments: [], errors };
        for (const [index, bundle] of bundles.entries()) {
          try {
            const earlier = progress.done[bundle.name];
            const result = (earlier && (await storedResult(bundle, read, earlier, db))) || (await importBundle(bundle, read, folder, db, options));
            report.environments.push(result);
            progress.done[bundle.name] = result.status;
            await save();
          } catch (error) {
            report.errors.push({ file: bundle.name, message: `import of ${bundle.name} failed: ${messageOf(error)}` });
          }
          options.onProgress?.({ done: index + 1, total: bundles.length, name: bundle.name });
        }
        await finishImportRun(runId, "finished", report, db);
        return report;
      } catch (error) {
        await finishImportRun(runId, "failed", { runId, folder, error: messageOf(error) }, db).catch(() => undefined);
        throw error;
      }
    },
    db,
  );
}

/** The report entry of an environment as stored: one an earlier, interrupted part of this run made whole, or one the folder left unchanged. */
async function storedResult(bundle: AwmBundle, read: FolderReadResult, status: EnvironmentImportStatus, db: StudioDb): Promise<ImportedEnvironment | undefined> {
  const environment = await loadEnvironment(bundle.name, { issues: true }, db).catch(undefinedIfNotFound);
  if (!environment || environment.importState !== "complete") return undefined;
  const counts: EnvironmentCounts = {
    tasks: environment.taskCount,
    tables: environment.tableCount,
    seedRows: environment.seedRows,
    seedFailures: environment.seedFailures,
    tools: environment.toolCount,
    verifiers: environment.verifierCount,
  };
  const kept = keptArtifacts(bundle, read, await latestVersions(environment.id, db));
  return { scenario: environment.scenario, name: bundle.name, status, counts, issues: environment.issues, problems: groupIssuesByCause(environment.issues), kept };
}

/** Verifier health is asked for, and the stored checks of this environment's verifiers never ran it (an import with it skipped). */
async function healthNeverChecked(environment: { id: string; verifierCount: number }, options: ImportOptions, db: StudioDb): Promise<boolean> {
  if (options.verifierHealth === false || environment.verifierCount === 0) return false;
  return (await db.verifierHealthCheck.count({ where: { environmentId: environment.id } })) === 0;
}

/**
 * Three steps, each safe to be killed after: (1) one transaction writes the environment row and
 * its new artifact versions, marking a new environment `new` (hidden) and an existing one with new
 * versions `stale`; (2) validation builds the seed database (written to a temporary name and
 * renamed) and records issues and counts, outside the transaction so no Python run holds the
 * database; (3) the environment is marked complete. A new environment whose import fails is removed.
 */
async function importBundle(bundle: AwmBundle, read: FolderReadResult, folder: string, db: StudioDb, options: ImportOptions): Promise<ImportedEnvironment> {
  const { environment, status } = await db.$transaction(async (tx) => {
    const existing = await tx.environment.findUnique({ where: { name: bundle.name } });
    const environment =
      existing ?? (await tx.environment.create({ data: { name: bundle.name, scenario: bundle.scenario, source: folder, importState: "new" satisfies ImportState } }));
    const added = await appendArtifactVersions(environment.id, draftsFromBundle(bundle), "import", tx);
    const before = (existing?.importState ?? "new") as ImportState;
    const importState: ImportState = before === "complete" && added > 0 ? "stale" : before;
    if (existing && (existing.scenario !== bundle.scenario || existing.source !== folder || existing.importState !== importState)) {
      await tx.environment.update({ where: { id: existing.id }, data: { scenario: bundle.scenario, source: folder, importState } });
    }
    const status: EnvironmentImportStatus = importState === "new" ? "created" : importState === "stale" ? "updated" : "unchanged";
    return { environment, status };
  });
  // Nothing new, and its seed database is there: validating again would give what is stored (a re-import
  // of 1,000 environments took minutes for nothing). `revalidate` asks for it anyway (a newer studio's checks).
  if (status === "unchanged" && !options.revalidate && fs.existsSync(environment.seedDbFile) && !(await healthNeverChecked(environment, options, db))) {
    const stored = await storedResult(bundle, read, status, db);
    if (stored) return stored;
  }
  try {
    const validation = await revalidateEnvironment({ ...environment, scenario: bundle.scenario }, { db, verifierHealth: options.verifierHealth ?? true });
    await db.environment.update({ where: { id: environment.id }, data: { importState: "complete" satisfies ImportState } });
    const { counts, issues } = validation;
    const kept = keptArtifacts(bundle, read, await latestVersions(environment.id, db));
    return { scenario: bundle.scenario, name: bundle.name, status, counts, issues, problems: groupIssuesByCause(issues), kept };
  } catch (error) {
    if (status === "created") {
      await db.environment.delete({ where: { id: environment.id } }).catch(() => undefined);
      fs.rmSync(environmentDir(bundle.name), { recursive: true, force: true });
    }
    throw error;
  }
}
