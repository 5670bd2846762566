import fs from "node:fs";
import Database from "better-sqlite3";
import { NotFoundError } from "../errors.ts";

/** Raised when a seed database file is missing; route handlers answer 404. */
export class SeedDbMissingError extends NotFoundError {}

/** Opens a seed database read-only, runs `fn`, and always closes it. */
export function withSeedDb<T>(file: string, fn: (db: Database.Database) => T): T {
  if (!file || !fs.existsSync(file)) throw new SeedDbMissingError(`seed database not found: ${file || "(no file recorded)"}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** SQLite identifier quoting: wrap in double quotes, double any inner quote. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** User tables of a database (SQLite's own sqlite_* tables excluded), in creation order. */
export function tableNames(db: Database.Database): string[] {
  const rows = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid")
    .all() as { name: string }[];
  return rows.map((row) => row.name);
}
