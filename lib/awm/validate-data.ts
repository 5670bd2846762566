import { issue, whereIn } from "./issue.ts";
import type { SeedBuildResult } from "./seed-db.ts";
import type { AwmBundle, ValidationIssue } from "./types.ts";

/** Schema and seed problems, from what actually happened while building the seed database. */
export function validateData(bundle: AwmBundle, seed: SeedBuildResult): ValidationIssue[] {
  return [...schemaIssues(bundle, seed), ...seedIssues(bundle, seed)];
}

function schemaIssues(bundle: AwmBundle, seed: SeedBuildResult): ValidationIssue[] {
  const schema = bundle.schema;
  if (!schema) return [issue("schema", "error", "gen_db.jsonl", `No schema for scenario "${bundle.name}": the environment has no database`, { tab: "schema" })];
  if (schema.record.db_schema.tables.length === 0) {
    return [issue("schema", "error", whereIn(schema), "The schema lists no tables", { tab: "schema" })];
  }
  const issues: ValidationIssue[] = [];
  const created = new Set(seed.tablesCreated.map((name) => name.toLowerCase()));
  for (const ddl of seed.ddl) {
    if (ddl.kind === "table") {
      const where = whereIn(schema, `table ${ddl.table}`);
      if (!ddl.ok) {
        const cutOff = ddl.error === "incomplete input";
        const message = cutOff ? `CREATE TABLE ${ddl.table} is cut off (SQLite: incomplete input)` : `CREATE TABLE ${ddl.table} failed: ${ddl.error}`;
        issues.push(issue("schema", "error", where, message, { tab: "schema", table: ddl.table }));
      } else if (!created.has(ddl.table.toLowerCase())) {
        issues.push(issue("schema", "warning", where, `The DDL ran but created no table named "${ddl.table}"`, { tab: "schema", table: ddl.table }));
      }
    } else if (!ddl.ok) {
      const where = whereIn(schema, `table ${ddl.table}`, `indexes[${ddl.index}]`);
      issues.push(issue("schema", "error", where, `Index failed: ${ddl.error}`, { tab: "schema", table: ddl.table, statement: ddl.index }));
    }
  }
  return issues;
}

function seedIssues(bundle: AwmBundle, seed: SeedBuildResult): ValidationIssue[] {
  const seedRecord = bundle.seed;
  if (!seedRecord) return [issue("seed", "warning", "gen_sample.jsonl", `No seed data for scenario "${bundle.name}": the database starts empty`, { tab: "data" })];
  const issues: ValidationIssue[] = [];
  const declared = seedRecord.record.inserts_count;
  if (declared !== seed.inserts.length) {
    issues.push(issue("seed", "warning", whereIn(seedRecord), `inserts_count says ${declared} but the record holds ${seed.inserts.length} INSERT statements`, { tab: "data" }));
  }
  for (const insert of seed.inserts) {
    if (insert.ok) continue;
    const where = whereIn(seedRecord, `table ${insert.table}`, `insert_statements[${insert.index}]`);
    issues.push(issue("seed", "error", where, `INSERT failed: ${insert.error}`, { tab: "data", table: insert.table, statement: insert.index }));
  }
  return issues;
}
