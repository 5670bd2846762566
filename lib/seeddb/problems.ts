import type { SchemaTable, SeedRecord, ValidationIssue } from "../awm/types.ts";

type Issue = Pick<ValidationIssue, "stage" | "where" | "message" | "location">;

/** A table of the schema record that is not in the seed database because its DDL failed. */
export interface BrokenTable {
  name: string;
  ddl: string;
  /** SQLite's message(s) from the schema stage, or why the table is missing. */
  error: string;
}

/** A seed INSERT that failed, with its SQL when the seed record still has it. */
export interface SeedFailure {
  table: string;
  statement: number | null;
  sql: string | null;
  where: string;
  message: string;
}

/** Declared tables missing from the seed database, each with the schema-stage error that explains it. */
export function brokenTables(declared: SchemaTable[], present: string[], issues: Issue[]): BrokenTable[] {
  const existing = new Set(present.map((name) => name.toLowerCase()));
  return declared
    .filter((table) => !existing.has(table.name.toLowerCase()))
    .map((table) => {
      const messages = issues
        .filter((issue) => issue.stage === "schema" && issue.location.table?.toLowerCase() === table.name.toLowerCase())
        .map((issue) => issue.message);
      return {
        name: table.name,
        ddl: table.ddl,
        error: messages.length > 0 ? messages.join("\n") : "table is declared in the schema but absent from the seed database",
      };
    });
}

/**
 * Seed-stage issues that name a table. `location.statement` counts the INSERTs given for that
 * table name (0-based, across all seed entries with that name), as the seed build numbers them.
 */
export function seedFailures(seed: SeedRecord | undefined, issues: Issue[]): SeedFailure[] {
  return issues
    .filter((issue) => issue.stage === "seed" && issue.location.table !== undefined)
    .map((issue) => {
      const table = issue.location.table ?? "";
      const statement = issue.location.statement ?? null;
      const inserts = seed?.sample_data.tables.filter((t) => t.table_name === table).flatMap((t) => t.insert_statements);
      return { table, statement, sql: statement === null ? null : (inserts?.[statement] ?? null), where: issue.where, message: issue.message };
    });
}
