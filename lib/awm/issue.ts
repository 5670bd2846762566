import type { IssueLocation, Located, PipelineStage, Severity, ValidationIssue } from "./types.ts";

export function issue(stage: PipelineStage, severity: Severity, where: string, message: string, location: IssueLocation): ValidationIssue {
  return { stage, severity, where, message, location };
}

/**
 * "gen_db.jsonl line 3", followed by any further detail: "gen_db.jsonl line 3, table users"; a
 * record not read from a file is named as stored: "schema v4, table users".
 */
export function whereIn(located: Located<unknown>, ...details: string[]): string {
  const { file, line, stored } = located.source;
  return [line > 0 || !stored ? `${file} line ${line}` : stored, ...details].join(", ");
}
