import type { EnvironmentCounts, IssueLocation, ValidationIssue } from "../awm/types.ts";
import { NotFoundError } from "../errors.ts";
import { studioDb, type StudioTx } from "./db.ts";
import type { Environment, ValidationIssue as IssueRow } from "./generated/client.ts";

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

function toSummary(row: Environment): EnvironmentSummary {
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
  };
}

export async function listEnvironments(db: StudioTx = studioDb()): Promise<EnvironmentSummary[]> {
  const rows = await db.environment.findMany({ where: VISIBLE, orderBy: { name: "asc" } });
  return rows.map(toSummary);
}

export async function findEnvironment(name: string, db: StudioTx = studioDb()): Promise<Environment | null> {
  return db.environment.findFirst({ where: { name, ...VISIBLE } });
}

export async function getEnvironmentByName(name: string, db: StudioTx = studioDb()): Promise<EnvironmentDetail | undefined> {
  const row = await db.environment.findFirst({
    where: { name, ...VISIBLE },
    include: { issues: { orderBy: { ordinal: "asc" } } },
  });
  if (!row) return undefined;
  return {
    ...toSummary(row),
    description: row.description,
    source: row.source,
    seedDbFile: row.seedDbFile,
    issues: row.issues.map(issueFromRow),
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

/** The environment's row, or a NotFoundError (a 404 in routes) naming it. */
export async function requireEnvironmentRow(name: string, db: StudioTx = studioDb()): Promise<Environment> {
  const row = await findEnvironment(name, db);
  if (!row) throw new NotFoundError(`no environment named "${name}" in the studio`);
  return row;
}

/** The environment with its issues, or a NotFoundError (a 404 in routes) naming it. */
export async function requireEnvironment(name: string, db: StudioTx = studioDb()): Promise<EnvironmentDetail> {
  const detail = await getEnvironmentByName(name, db);
  if (!detail) throw new NotFoundError(`no environment named "${name}" in the studio`);
  return detail;
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
