/**
 * Issue kinds for bulk triage: what kind of trouble an environment has. The validation kinds are
 * read from its stored issues (issue-kinds-query.ts); "unsolvable-tasks" comes from task status
 * (lib/curation/), which weighs every run. Pure, so the library page filters with it too.
 */

export const ISSUE_KINDS = ["failing-inserts", "cut-off-tables", "shadowed-routes", "suspicious-verifiers", "unsolvable-tasks"] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];
export type ValidationIssueKind = Exclude<IssueKind, "unsolvable-tasks">;

export function isIssueKind(value: string): value is IssueKind {
  return (ISSUE_KINDS as readonly string[]).includes(value);
}

/** Whether an environment has trouble of this kind; `unsolvableTasks` is its count of unsolvable tasks from task status. */
export function hasIssueKind(env: { issueKinds: readonly ValidationIssueKind[] }, kind: IssueKind, unsolvableTasks: number): boolean {
  return kind === "unsolvable-tasks" ? unsolvableTasks > 0 : env.issueKinds.includes(kind);
}
