import Database from "better-sqlite3";

/**
 * Opens a database the studio did not write (a seed database built from imported SQL, an instance's
 * state, an uploaded run's snapshot) read-only, with SQL in its schema (views, triggers, generated
 * columns) limited to functions SQLite marks harmless. Call only inside the database reader
 * (reader.ts), which bounds memory and time.
 */
export function openUntrustedDatabase(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("trusted_schema = OFF");
  return db;
}
