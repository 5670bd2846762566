import fs from "node:fs";
import type Database from "better-sqlite3";
import { NotFoundError } from "../errors.ts";
import { quoteIdentifier, withUntrustedDatabase } from "../sqlite/toolbox.ts";

/** Raised when a seed database file is missing; route handlers answer 404. */
export class SeedDbMissingError extends NotFoundError {}

/** Opens a seed database read-only (untrusted: see untrusted-db/open.ts), runs `fn`, and always closes it. */
export function withSeedDb<T>(file: string, fn: (db: Database.Database) => T): T {
  if (!file || !fs.existsSync(file)) throw new SeedDbMissingError(`seed database not found: ${file || "(no file recorded)"}`);
  return withUntrustedDatabase(file, fn);
}

/** User tables of a database (SQLite's own sqlite_* tables excluded), in creation order. */
export function tableNames(db: Database.Database): string[] {
  const rows = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid")
    .all() as { name: string }[];
  return rows.map((row) => row.name);
}

/** Columns a SELECT * returns, generated ones included, in table order. */
export function columnNames(db: Database.Database, table: string): string[] {
  return (db.prepare("SELECT name FROM pragma_table_xinfo(?) WHERE hidden <> 1 ORDER BY cid").all(table) as { name: string }[]).map((c) => c.name);
}

export function hasRowid(db: Database.Database, table: string): boolean {
  try {
    db.prepare(`SELECT rowid FROM ${quoteIdentifier(table)} LIMIT 0`);
    return true;
  } catch {
    return false;
  }
}
