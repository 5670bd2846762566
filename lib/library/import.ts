import path from "node:path";
import { readAwmFolder, type FolderError } from "../awm/read-folder.ts";
import type { AwmBundle, AwmStage, EnvironmentCounts, IssueLocation } from "../awm/types.ts";
import { appendArtifactVersions } from "../store/artifacts.ts";
import { studioDb, type StudioDb } from "../store/db.ts";
import { draftsFromBundle } from "./bundle.ts";
import { revalidateEnvironment } from "./validate-environment.ts";

export interface ImportIssue {
  stage: AwmStage;
  severity: "error" | "warning";
  where: string;
  message: string;
  location: IssueLocation;
}

export interface ImportedEnvironment {
  scenario: string;
  name: string;
  status: "created" | "updated" | "unchanged";
  counts: EnvironmentCounts;
  issues: ImportIssue[];
}

export interface ImportReport {
  folder: string;
  environments: ImportedEnvironment[];
  errors: FolderError[];
}

export interface ImportProgress {
  done: number;
  total: number;
  name: string;
}

/**
 * Imports every environment of an AWM-format folder: appends a version for each artifact whose
 * content changed (re-import is idempotent), rebuilds its seed database and validates it.
 * A broken record or environment never stops the others; everything broken is in the report.
 */
export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  db?: StudioDb;
  /** Run every verifier on (seed, seed) as part of validation (default true). */
  verifierHealth?: boolean;
}

export async function importFolder(folder: string, options: ImportOptions = {}): Promise<ImportReport> {
  const db = options.db ?? studioDb();
  const absolute = path.resolve(folder);
  const run = await db.importRun.create({ data: { folder: absolute, status: "running" } });
  const { bundles, errors } = readAwmFolder(absolute);
  const report: ImportReport = { folder: absolute, environments: [], errors };
  for (const [index, bundle] of bundles.entries()) {
    try {
      report.environments.push(await importBundle(bundle, absolute, db, options.verifierHealth ?? true));
    } catch (error) {
      report.errors.push({ file: bundle.name, message: `import of ${bundle.name} failed: ${(error as Error).message}` });
    }
    options.onProgress?.({ done: index + 1, total: bundles.length, name: bundle.name });
  }
  await db.importRun.update({
    where: { id: run.id },
    data: { status: "finished", report: JSON.stringify(report), finishedAt: new Date() },
  });
  return report;
}

/**
 * The environment row and its new artifact versions are written in one transaction; validation
 * (which may run verifiers in a sandbox) follows outside it, so no Python run holds the database.
 */
async function importBundle(bundle: AwmBundle, folder: string, db: StudioDb, verifierHealth: boolean): Promise<ImportedEnvironment> {
  const { environment, status } = await db.$transaction(async (tx) => {
    const existing = await tx.environment.findUnique({ where: { name: bundle.name } });
    const environment =
      existing ??
      (await tx.environment.create({ data: { name: bundle.name, scenario: bundle.scenario, source: folder } }));
    const added = await appendArtifactVersions(environment.id, draftsFromBundle(bundle), "import", tx);
    if (existing && (existing.scenario !== bundle.scenario || existing.source !== folder)) {
      await tx.environment.update({ where: { id: existing.id }, data: { scenario: bundle.scenario, source: folder } });
    }
    const status: ImportedEnvironment["status"] = !existing ? "created" : added > 0 ? "updated" : "unchanged";
    return { environment, status };
  });
  const validation = await revalidateEnvironment({ ...environment, scenario: bundle.scenario }, { db, verifierHealth });
  return { scenario: bundle.scenario, name: bundle.name, status, counts: validation.counts, issues: validation.issues };
}
