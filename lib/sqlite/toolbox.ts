/**
 * The small SQLite toolbox every folder shares: identifier quoting, read-only opens (of files the
 * studio wrote, and of untrusted ones) and a consistent copy.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { messageOf } from "../errors.ts";

/** SQLite identifier quoting: wrap in double quotes, double any inner quote. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Opens an existing database read-only (a missing file is an error, never a new empty database). */
export function openReadOnly(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/**
 * Opens a database the studio did not write (a seed database built from imported SQL, an instance's
 * state, an uploaded run's snapshot) read-only, with SQL in its schema (views, triggers, generated
 * columns) limited to functions SQLite marks harmless. Call only inside the database reader
 * (untrusted-db/reader.ts) or on a database the studio just built, which bounds memory and time.
 */
export function openUntrustedDatabase(file: string): Database.Database {
  const db = openReadOnly(file);
  db.pragma("trusted_schema = OFF");
  return db;
}

/** Opens an untrusted database (see openUntrustedDatabase), runs `fn`, and always closes it. */
export function withUntrustedDatabase<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = openUntrustedDatabase(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Copies a SQLite database with SQLite's backup API, so a live database (WAL) copies consistently. */
export async function copyDatabase(sourceFile: string, targetFile: string): Promise<void> {
  let source: Database.Database | undefined;
  try {
    source = openReadOnly(sourceFile);
    fs.mkdirSync(path.dirname(targetFile), { recursive: true });
    fs.rmSync(targetFile, { force: true });
    await source.backup(targetFile);
  } catch (error) {
    throw new Error(`cannot copy database ${sourceFile} to ${targetFile}: ${messageOf(error)}`, { cause: error });
  } finally {
    source?.close();
  }
}
