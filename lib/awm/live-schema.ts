/**
 * Generated code often runs `Base.metadata.create_all` at start-up, so the database an instance
 * serves can differ from the seed database: a table cut off in the schema exists with the code's
 * columns, or a model disagrees with its table. These are the differences, as issues.
 */
import { issue } from "./issue.ts";
import type { IssueLocation, ValidationIssue } from "./types.ts";

export interface ColumnShape {
  name: string;
  /** Declared type ("" when none). */
  type: string;
  notNull: boolean;
  /** 1-based position in the primary key, 0 when not part of it. */
  primaryKey: number;
}

export interface TableShape {
  name: string;
  columns: ColumnShape[];
}

/** Every live-schema issue's `where` starts with this, which is how a new boot replaces the last one's issues. */
export const LIVE_SCHEMA_WHERE = "running instance after start-up";

export function isLiveSchemaIssue(candidate: Pick<ValidationIssue, "where">): boolean {
  return candidate.where.startsWith(LIVE_SCHEMA_WHERE);
}

export interface LiveSchemaInput {
  /** Tables of the seed database. */
  seed: TableShape[];
  /** Tables of the instance's database right after it started. */
  live: TableShape[];
  /** Table names the schema record declares (a declared table missing from the seed had a failing DDL). */
  declared: string[];
  /** The interface code, to point at the model that declares a table. */
  code: string;
}

/** One issue per table that the start-up added, dropped or changed, compared with the seed database. */
export function compareLiveSchema({ seed, live, declared, code }: LiveSchemaInput): ValidationIssue[] {
  const seedByName = byName(seed);
  const liveByName = byName(live);
  const declaredNames = new Set(declared.map((name) => name.toLowerCase()));
  const issues: ValidationIssue[] = [];
  for (const table of live) {
    const before = seedByName.get(table.name.toLowerCase());
    const where = `${LIVE_SCHEMA_WHERE}, table ${table.name}`;
    if (!before) {
      const columns = describeColumns(table.columns);
      if (declaredNames.has(table.name.toLowerCase())) {
        issues.push(issue("schema", "warning", where, `${table.name}: broken in the schema, created by the code at start-up with columns ${columns}`, { tab: "schema", table: table.name }));
      } else {
        issues.push(issue("code", "warning", where, `${table.name}: not in the schema, created by the code at start-up with columns ${columns}`, modelLocation(code, table.name)));
      }
      continue;
    }
    const changes = columnChanges(before.columns, table.columns);
    if (changes.length > 0) {
      issues.push(issue("code", "warning", where, `${table.name}: the running instance's columns differ from the seed database's: ${changes.join("; ")}`, modelLocation(code, table.name)));
    }
  }
  for (const table of seed) {
    if (liveByName.has(table.name.toLowerCase())) continue;
    issues.push(issue("code", "warning", `${LIVE_SCHEMA_WHERE}, table ${table.name}`, `${table.name}: in the seed database but gone from the running instance (dropped at start-up)`, modelLocation(code, table.name)));
  }
  return capped(issues);
}

/** The code is untrusted: it may create any number of tables with names of any length. */
export const MAX_LIVE_SCHEMA_ISSUES = 50;
const MAX_TEXT_CHARS = 2_000;

function capped(issues: ValidationIssue[]): ValidationIssue[] {
  const clip = (text: string) => (text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}… (${text.length} characters)` : text);
  const kept = issues.slice(0, MAX_LIVE_SCHEMA_ISSUES).map((found) => ({ ...found, where: clip(found.where), message: clip(found.message) }));
  if (issues.length <= MAX_LIVE_SCHEMA_ISSUES) return kept;
  const more = issues.length - MAX_LIVE_SCHEMA_ISSUES;
  return [...kept, issue("code", "warning", LIVE_SCHEMA_WHERE, `${more} more tables differ from the seed database (only the first ${MAX_LIVE_SCHEMA_ISSUES} are listed)`, { tab: "code" })];
}

function byName(tables: TableShape[]): Map<string, TableShape> {
  return new Map(tables.map((table) => [table.name.toLowerCase(), table]));
}

function describeColumn(column: ColumnShape): string {
  return [column.name, column.type, column.primaryKey > 0 ? "PRIMARY KEY" : "", column.notNull ? "NOT NULL" : ""].filter(Boolean).join(" ");
}

function describeColumns(columns: ColumnShape[]): string {
  return columns.length === 0 ? "(none)" : columns.map(describeColumn).join(", ");
}

function columnChanges(seed: ColumnShape[], live: ColumnShape[]): string[] {
  const seedByName = new Map(seed.map((column) => [column.name.toLowerCase(), column]));
  const liveNames = new Set(live.map((column) => column.name.toLowerCase()));
  const added = live.filter((column) => !seedByName.has(column.name.toLowerCase()));
  const missing = seed.filter((column) => !liveNames.has(column.name.toLowerCase()));
  const changed = live.flatMap((column) => {
    const before = seedByName.get(column.name.toLowerCase());
    return before && describeColumn(before).toLowerCase() !== describeColumn(column).toLowerCase() ? [`${describeColumn(before)} → ${describeColumn(column)}`] : [];
  });
  return [
    ...(added.length > 0 ? [`added ${describeColumns(added)}`] : []),
    ...(missing.length > 0 ? [`missing ${missing.map((column) => column.name).join(", ")}`] : []),
    ...(changed.length > 0 ? [`changed ${changed.join(", ")}`] : []),
  ];
}

/** The code line declaring `__tablename__ = "<table>"`, when there is one. */
function modelLocation(code: string, table: string): IssueLocation {
  const index = code.split("\n").findIndex((line) => {
    const match = /^\s*__tablename__\s*=\s*["']([^"']+)["']/.exec(line);
    return match?.[1]?.toLowerCase() === table.toLowerCase();
  });
  return index < 0 ? { tab: "code" } : { tab: "code", line: index + 1 };
}
