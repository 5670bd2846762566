import type { EnvironmentCounts, IssueLocation, ValidationIssue } from "../awm/types.ts";
import { studioDb, type StudioTx } from "./db.ts";
import type { Environment, ValidationIssue as IssueRow } from "./generated/client.ts";
import { validationIssueKinds } from "./issue-kinds-query.ts";
import type { ValidationIssueKind } from "./issue-kinds.ts";

export type Health = "ok" | "warnings" | "errors";

/**
 * complete: whole. new: an import has not finished it (never shown). stale: was complete, and a
 * re-import has not finished revalidating it (shown with its last validation, flagged).
 */
export type ImportState = "complete" | "new" | "stale";

/** Environments an import has not yet made whole are invisible to everything but the import. */
export const VISIBLE = { importState: { not: "new" } } as const;

export interface EnvironmentSummary {
  id: string;
  name: string;
  scenario: string;
  taskCount: number;
  tableCount: number;
  seedRows: number;
  seedFailures: number;
  toolCount: number;
  verifierCount: number;
  errorCount: number;
  warningCount: number;
  health: Health;
  /** "stale" when a re-import was interrupted before revalidating it; resume the import to finish it. */
  importState: Exclude<ImportState, "new">;
  updatedAt: string;
  /** The kinds of trouble its validation issues show (see issue-kinds.ts). */
  issueKinds: ValidationIssueKind[];
  /** A person left it out of exports unless named (see lib/library/exclusion.ts). */
  excluded: boolean;
  excludedNote: string;
  excludedAt: string | null;
}

export interface EnvironmentDetail extends EnvironmentSummary {
  description: string;
  source: string;
  seedDbFile: string;
  issues: ValidationIssue[];
}

export function healthOf(errorCount: number, warningCount: number): Health {
  if (errorCount > 0) return "errors";
  return warningCount > 0 ? "warnings" : "ok";
}

function toSummary(row: Environment, issueKinds: ValidationIssueKind[]): EnvironmentSummary {
  return {
    id: row.id,
    name: row.name,
    scenario: row.scenario,
    taskCount: row.taskCount,
    tableCount: row.tableCount,
    seedRows: row.seedRows,
    seedFailures: row.seedFailures,
    toolCount: row.toolCount,
    verifierCount: row.verifierCount,
    errorCount: row.errorCount,
    warningCount: row.warningCount,
    health: healthOf(row.errorCount, row.warningCount),
    importState: row.importState === "stale" ? "stale" : "complete",
    updatedAt: row.updatedAt.toISOString(),
    issueKinds,
    excluded: row.excluded,
    excludedNote: row.excludedNote,
    excludedAt: row.excludedAt?.toISOString() ?? null,
  };
}

export async function listEnvironments(db: StudioTx = studioDb()): Promise<EnvironmentSummary[]> {
  const rows = await db.environment.findMany({ where: VISIBLE, orderBy: { name: "asc" } });
  const kinds = await validationIssueKinds(undefined, db);
  return rows.map((row) => toSummary(row, kinds.get(row.id) ?? []));
}

/** What the environment page shows of an environment loaded with its issues (loadEnvironment(name, { issues: true })). */
export async function environmentDetail(environment: Environment & { issues: ValidationIssue[] }, db: StudioTx = studioDb()): Promise<EnvironmentDetail> {
  const kinds = await validationIssueKinds([environment.id], db);
  return {
    ...toSummary(environment, kinds.get(environment.id) ?? []),
    description: environment.description,
    source: environment.source,
    seedDbFile: environment.seedDbFile,
    issues: environment.issues,
  };
}

export function issueFromRow(row: IssueRow): ValidationIssue {
  return {
    stage: row.stage as ValidationIssue["stage"],
    severity: row.severity as ValidationIssue["severity"],
    where: row.where,
    message: row.message,
    location: JSON.parse(row.location) as IssueLocation,
  };
}

/** Replaces the environment's issue set and its denormalized counts after a validation. */
export async function recordValidation(
  environmentId: string,
  result: { issues: ValidationIssue[]; counts: EnvironmentCounts; description: string; seedDbFile: string },
  db: StudioTx = studioDb(),
): Promise<void> {
  const issueCounts = await replaceIssues(environmentId, result.issues, db);
  const { counts } = result;
  await db.environment.update({
    where: { id: environmentId },
    data: {
      description: result.description,
      seedDbFile: result.seedDbFile,
      taskCount: counts.tasks,
      tableCount: counts.tables,
      seedRows: counts.seedRows,
      seedFailures: counts.seedFailures,
      toolCount: counts.tools,
      verifierCount: counts.verifiers,
      ...issueCounts,
    },
  });
}

/** Replaces the environment's issue rows with `issues`, in order; returns the counts to store with it. */
export async function replaceIssues(environmentId: string, issues: ValidationIssue[], db: StudioTx = studioDb()): Promise<{ errorCount: number; warningCount: number }> {
  await db.validationIssue.deleteMany({ where: { environmentId } });
  await db.validationIssue.createMany({
    data: issues.map((issue, ordinal) => ({
      environmentId,
      ordinal,
      stage: issue.stage,
      severity: issue.severity,
      where: issue.where,
      message: issue.message,
      location: JSON.stringify(issue.location),
    })),
  });
  return {
    errorCount: issues.filter((issue) => issue.severity === "error").length,
    warningCount: issues.filter((issue) => issue.severity === "warning").length,
  };
}
