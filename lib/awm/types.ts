/**
 * The AWM on-disk format (one JSON object per line in gen_*.jsonl files) and the studio's
 * in-memory view of one environment gathered from those files.
 */

/** The seven generation stages, in the order a new environment goes through them; an artifact's kind is its stage. */
export const PIPELINE_STAGES = ["scenario", "tasks", "schema", "seed", "spec", "code", "verifier"] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** How a verifier checks a task: Python code over the databases, or SQL. Verdicts carry the mode of the verifier that gave them. */
export const VERIFIER_MODES = ["code", "sql"] as const;
export type VerifierMode = (typeof VERIFIER_MODES)[number];

/** AWM file names, by the artifact they hold. */
export const AWM_FILES = {
  scenario: "gen_scenario.jsonl",
  tasks: "gen_tasks.jsonl",
  schema: "gen_db.jsonl",
  seed: "gen_sample.jsonl",
  spec: "gen_spec.jsonl",
  code: "gen_envs.jsonl",
  verifierSql: "gen_verifier.jsonl",
  verifierCode: "gen_verifier.pure_code.jsonl",
} as const;

export interface ScenarioRecord {
  name: string;
  description: string;
}

export interface TasksRecord {
  scenario: string;
  tasks: string[];
}

export interface SchemaTable {
  name: string;
  ddl: string;
  indexes: string[];
}

export interface SchemaRecord {
  scenario: string;
  db_schema: { tables: SchemaTable[] };
  db_path: string;
}

export interface SeedTable {
  table_name: string;
  reasoning?: string;
  insert_statements: string[];
}

export interface SeedRecord {
  scenario: string;
  tables_count: number;
  inserts_count: number;
  sample_data: { tables: SeedTable[] };
}

export interface SpecParam {
  type: string;
  param_type: "path" | "query" | "body" | string;
  required?: boolean;
  description?: string;
  example?: unknown;
}

export interface SpecEndpoint {
  path: string;
  method: string;
  summary?: string;
  description?: string;
  operation_id: string;
  tags?: string[];
  request_params?: Record<string, SpecParam>;
  response?: unknown;
  required_tables?: string[];
  required_fields?: unknown;
}

export interface SpecRecord {
  scenario: string;
  api_spec: { api_groups: { group_name: string; endpoints: SpecEndpoint[] }[] };
}

export interface CodeRecord {
  scenario: string;
  db_path: string;
  full_code: string;
}

export interface VerifierRecord {
  scenario: string;
  task_idx: number;
  task: string;
  verification: { code: string; raw_response?: string };
}

/** Where a record came from: file name and 1-based line number. */
export interface SourceLine {
  file: string;
  /** 1-based; 0 for a record not read from a file (an edit, a revert, a generated version). */
  line: number;
  /** Such a record as the studio stores it: "schema v4". */
  stored?: string;
}

export interface Located<T> {
  record: T;
  source: SourceLine;
}

/**
 * Everything one folder holds for one environment, keyed by normalized scenario name.
 * Records keep the exact JSON objects read (unknown extra fields included), so export can
 * reproduce them value for value.
 */
export interface AwmBundle {
  name: string;
  scenario: string;
  scenarioRecord?: Located<ScenarioRecord>;
  tasks?: Located<TasksRecord>;
  schema?: Located<SchemaRecord>;
  seed?: Located<SeedRecord>;
  spec?: Located<SpecRecord>;
  code?: Located<CodeRecord>;
  verifiers: Located<VerifierRecord & { mode: VerifierMode }>[];
}

export type Severity = "error" | "warning";

/** Where in the studio UI an issue can be seen; the Overview links there. */
export interface IssueLocation {
  tab: "overview" | "tasks" | "schema" | "data" | "api" | "code" | "verifiers" | "pipeline";
  table?: string;
  statement?: number;
  operationId?: string;
  taskIdx?: number;
  line?: number;
}

export interface ValidationIssue {
  stage: PipelineStage;
  severity: Severity;
  /** Human-readable place: file and line, table, statement index, operation id. */
  where: string;
  /** The parser's or SQLite's own words. */
  message: string;
  location: IssueLocation;
}

export interface EnvironmentCounts {
  tasks: number;
  tables: number;
  seedRows: number;
  seedFailures: number;
  tools: number;
  verifiers: number;
}
