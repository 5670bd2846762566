import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { messageOf } from "./error-message.ts";
import type { SchemaRecord, SeedRecord } from "./types.ts";

/** One DDL string: `index` is the table's position in db_schema.tables, or the index's position in that table's indexes. */
export interface DdlResult { table: string; kind: "table" | "index"; index: number; sql: string; ok: boolean; error?: string }

/** One INSERT string: `index` counts the statements given for that table name (0-based, across seed entries). */
export interface InsertResult { table: string; index: number; sql: string; ok: boolean; error?: string }

export interface SeedBuildResult {
  ddl: DdlResult[];
  inserts: InsertResult[];
  /** Rows present in the finished database, summed over all its tables. */
  seedRows: number;
  /** INSERT strings that failed. */
  seedFailures: number;
  /** Tables that exist in the finished database, in creation order. */
  tablesCreated: string[];
}

/**
 * Builds a fresh seed database from an environment's schema and seed records, statement by
 * statement, recording SQLite's own message for every failure and carrying on. The database is
 * built in memory (about 3x faster than on disk) and then written to `file.tmp` and renamed, so
 * `file` is never half-written.
 */
export function buildSeedDatabase(file: string, schema: SchemaRecord | undefined, seed: SeedRecord | undefined): SeedBuildResult {
  const db = new Database(":memory:");
  let result: SeedBuildResult;
  let image: Buffer;
  try {
    // AWM seeds through Python's sqlite3, where foreign keys are off (better-sqlite3 turns them on).
    // With them on, doordash's support_case_notes row fails too (its parent support_cases row is the
    // statement that fails to parse), giving 2 of 71 instead of AWM's 1 of 71.
    db.pragma("foreign_keys = OFF");
    db.exec("BEGIN");
    const ddl = createSchema(db, schema);
    const inserts = insertSeedRows(db, seed);
    if (db.inTransaction) db.exec("COMMIT");
    const tablesCreated = listTables(db);
    result = {
      ddl,
      inserts,
      seedRows: tablesCreated.reduce((sum, table) => sum + countRows(db, table), 0),
      seedFailures: inserts.filter((insert) => !insert.ok).length,
      tablesCreated,
    };
    image = db.serialize();
  } finally {
    db.close();
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, image);
  fs.renameSync(tmp, file);
  return result;
}

/** All CREATE TABLE strings first, then all indexes, so an index never precedes its table. */
function createSchema(db: Database.Database, schema: SchemaRecord | undefined): DdlResult[] {
  const tables = schema?.db_schema.tables ?? [];
  const results: DdlResult[] = tables.map((table, index) => {
    const error = runUnit(db, table.ddl, "keep-partial");
    return { table: table.name, kind: "table", index, sql: table.ddl, ok: error === undefined, ...(error !== undefined && { error }) };
  });
  for (const table of tables) {
    table.indexes.forEach((sql, index) => {
      const error = runUnit(db, sql, "keep-partial");
      results.push({ table: table.name, kind: "index", index, sql, ok: error === undefined, ...(error !== undefined && { error }) });
    });
  }
  return results;
}

function insertSeedRows(db: Database.Database, seed: SeedRecord | undefined): InsertResult[] {
  const results: InsertResult[] = [];
  const nextIndex = new Map<string, number>();
  for (const table of seed?.sample_data.tables ?? []) {
    for (const sql of table.insert_statements) {
      const index = nextIndex.get(table.table_name) ?? 0;
      nextIndex.set(table.table_name, index + 1);
      const error = runUnit(db, sql, "all-or-nothing");
      results.push({ table: table.table_name, index, sql, ok: error === undefined, ...(error !== undefined && { error }) });
    }
  }
  return results;
}

/**
 * Runs one SQL string (which may hold several statements, or junk after the first) inside its own
 * savepoint. On failure a DDL string keeps the statements that ran before the error, as sqlite3's
 * exec (and Python's executescript) would; an INSERT string applies wholly or not at all.
 * Returns SQLite's error message, or undefined on success.
 */
function runUnit(db: Database.Database, sql: string, onError: "keep-partial" | "all-or-nothing"): string | undefined {
  const refused = refusedStatement(sql);
  if (refused) return refused;
  // The string itself may have ended our transaction (COMMIT; ROLLBACK;): start a new one.
  if (!db.inTransaction) db.exec("BEGIN");
  db.exec("SAVEPOINT unit");
  let error: string | undefined;
  try {
    db.exec(sql);
  } catch (thrown) {
    error = messageOf(thrown);
    if (onError === "all-or-nothing") ignoreMissingSavepoint(() => db.exec("ROLLBACK TO unit"));
  }
  ignoreMissingSavepoint(() => db.exec("RELEASE unit"));
  return error;
}

/**
 * Seed SQL is untrusted and runs in the studio's own process: statements that reach outside the
 * in-memory database (ATTACH creates files, VACUUM INTO writes one) are refused before they run.
 */
function refusedStatement(sql: string): string | undefined {
  const code = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]/g, "''");
  const match = /\b(ATTACH|DETACH|VACUUM)\b/i.exec(code);
  return match ? `refused: ${match[1]!.toUpperCase()} is not allowed in schema or seed SQL` : undefined;
}

function ignoreMissingSavepoint(run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!/no such savepoint|no transaction/i.test(messageOf(error))) throw error;
  }
}

function listTables(db: Database.Database): string[] {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid").all() as { name: string }[];
  return rows.map((row) => row.name);
}

function countRows(db: Database.Database, table: string): number {
  const row = db.prepare(`SELECT count(*) AS n FROM "${table.replaceAll('"', '""')}"`).get() as { n: number };
  return row.n;
}
