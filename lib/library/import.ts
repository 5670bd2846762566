import path from "node:path";
import { readAwmFolder, type FolderError } from "../awm/read-folder.ts";
import type { AwmStage, EnvironmentCounts, IssueLocation } from "../awm/types.ts";
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
export async function importFolder(
  folder: string,
  options: { onProgress?: (progress: ImportProgress) => void; db?: StudioDb } = {},
): Promise<ImportReport> {
  const db = options.db ?? studioDb();
  const absolute = path.resolve(folder);
  const run = await db.importRun.create({ data: { folder: absolute, status: "running" } });
  const { bundles, errors } = readAwmFolder(absolute);
  const report: ImportReport = { folder: absolute, environments: [], errors };
  for (const [index, bundle] of bundles.entries()) {
    try {
      report.environments.push(await importBundle(bundle, absolute, db));
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

async function importBundle(bundle: ReturnType<typeof readAwmFolder>["bundles"][number], folder: string, db: StudioDb) {
  return db.$transaction(async (tx) => {
    const existing = await tx.environment.findUnique({ where: { name: bundle.name } });
    const environment =
      existing ??
      (await tx.environment.create({ data: { name: bundle.name, scenario: bundle.scenario, source: folder } }));
    const added = await appendArtifactVersions(environment.id, draftsFromBundle(bundle), "import", tx);
    if (existing && (existing.scenario !== bundle.scenario || existing.source !== folder)) {
      await tx.environment.update({ where: { id: existing.id }, data: { scenario: bundle.scenario, source: folder } });
    }
    const validation = await revalidateEnvironment({ ...environment, scenario: bundle.scenario }, tx);
    const status: ImportedEnvironment["status"] = !existing ? "created" : added > 0 ? "updated" : "unchanged";
    return { scenario: bundle.scenario, name: bundle.name, status, counts: validation.counts, issues: validation.issues };
  });
}
