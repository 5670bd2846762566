import { issue } from "./issue.ts";
import type { FolderError } from "./read-folder.ts";
import type { SeedBuildResult } from "./seed-db.ts";
import { AWM_FILES, type AwmBundle, type EnvironmentCounts, type IssueLocation, type PipelineStage, type ValidationIssue } from "./types.ts";
import { validateApi } from "./validate-api.ts";
import { validateData } from "./validate-data.ts";
import { validateTasksAndVerifiers } from "./validate-verifiers.ts";

export interface ValidationResult {
  issues: ValidationIssue[];
  counts: EnvironmentCounts;
}

/** Everything a curator should know is broken or suspicious in one environment, each pointing at its place. */
export function validateBundle(bundle: AwmBundle, seed: SeedBuildResult): ValidationResult {
  const api = validateApi(bundle);
  const issues = [
    ...(bundle.scenarioRecord ? [] : [issue("scenario", "warning", AWM_FILES.scenario, `No gen_scenario.jsonl entry for scenario "${bundle.name}" (no description)`, { tab: "overview" })]),
    ...validateTasksAndVerifiers(bundle),
    ...validateData(bundle, seed),
    ...api.issues,
  ];
  return {
    issues,
    counts: {
      tasks: bundle.tasks?.record.tasks.length ?? 0,
      tables: bundle.schema?.record.db_schema.tables.length ?? 0,
      seedRows: seed.seedRows,
      seedFailures: seed.seedFailures,
      tools: api.reachableOperations.size,
      verifiers: bundle.verifiers.length,
    },
  };
}

const STAGE_OF_FILE: Record<string, { stage: PipelineStage; tab: IssueLocation["tab"] }> = {
  [AWM_FILES.scenario]: { stage: "scenario", tab: "overview" },
  [AWM_FILES.tasks]: { stage: "tasks", tab: "tasks" },
  [AWM_FILES.schema]: { stage: "schema", tab: "schema" },
  [AWM_FILES.seed]: { stage: "seed", tab: "data" },
  [AWM_FILES.spec]: { stage: "spec", tab: "api" },
  [AWM_FILES.code]: { stage: "code", tab: "code" },
  [AWM_FILES.verifierSql]: { stage: "verifier", tab: "verifiers" },
  [AWM_FILES.verifierCode]: { stage: "verifier", tab: "verifiers" },
};

/** Folder read problems as issues (for the import report, or attached to `error.scenario`'s environment). */
export function issuesFromFolderErrors(errors: FolderError[]): ValidationIssue[] {
  return errors.map((error) => {
    const { stage, tab } = STAGE_OF_FILE[error.file] ?? { stage: "scenario", tab: "overview" };
    const where = error.line === undefined ? error.file : `${error.file} line ${error.line}`;
    return issue(stage, error.severity ?? "error", where, error.message, { tab });
  });
}
