/**
 * Issues that follow from one cause: a CREATE TABLE that failed makes the table's indexes, every
 * INSERT into it and the running instance's version of it fail or differ too. Grouped, a curator
 * sees one problem with its consequences instead of N unrelated errors.
 */
import { isLiveSchemaIssue } from "./live-schema.ts";
import type { ValidationIssue } from "./types.ts";

type GroupedIssue = Pick<ValidationIssue, "stage" | "severity" | "where" | "location">;

/** One problem: the index of its cause in the issue list and the indexes of the issues that follow from it. */
export interface IssueProblem {
  cause: number;
  consequences: number[];
}

/**
 * Every issue exactly once: as the cause of a problem or as one of its consequences. Problems are
 * in the order of their causes, consequences in the order of the list.
 */
export function groupIssuesByCause(issues: readonly GroupedIssue[]): IssueProblem[] {
  const failedTables = new Map<string, number>();
  issues.forEach((candidate, index) => {
    const table = failedTableOf(candidate);
    if (table !== undefined && !failedTables.has(table)) failedTables.set(table, index);
  });
  const causeOf = issues.map((candidate, index) => {
    const table = candidate.location.table?.toLowerCase();
    const cause = table === undefined ? undefined : failedTables.get(table);
    return cause !== undefined && cause !== index && followsFromFailedTable(candidate) ? cause : undefined;
  });
  const problems = new Map<number, IssueProblem>();
  causeOf.forEach((cause, index) => {
    if (cause === undefined) problems.set(index, { cause: index, consequences: [] });
  });
  causeOf.forEach((cause, index) => {
    if (cause !== undefined) problems.get(cause)?.consequences.push(index);
  });
  return [...problems.values()];
}

/** The table whose CREATE TABLE failed, for a schema error on a table itself (not on one of its indexes). */
function failedTableOf(candidate: GroupedIssue): string | undefined {
  const { stage, severity, location } = candidate;
  if (stage !== "schema" || severity !== "error" || location.statement !== undefined || isLiveSchemaIssue(candidate)) return undefined;
  return location.table?.toLowerCase();
}

/** Its index failing, an INSERT into it failing, or the code creating it at start-up. */
function followsFromFailedTable(candidate: GroupedIssue): boolean {
  if (isLiveSchemaIssue(candidate)) return true;
  if (candidate.stage === "seed") return true;
  return candidate.stage === "schema" && candidate.location.statement !== undefined;
}
