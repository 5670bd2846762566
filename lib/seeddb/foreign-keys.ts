/**
 * Foreign keys of a database a generated schema and seed built: rows that point at no row, and keys
 * that point at no table. Read in the database reader (reader-ops.ts): the schema is generated, and
 * a virtual generated column in a key is computed while these pragmas read it.
 */
import { quoteIdentifier, withUntrustedDatabase } from "../sqlite/toolbox.ts";

/** Violations named for people, at most this many (the first ones SQLite reports). */
const SHOWN = 20;

export function foreignKeyViolations({ file }: { file: string }): string[] {
  return withUntrustedDatabase(file, (db) => {
    const rows = db.prepare("PRAGMA foreign_key_check").all() as { table: string; rowid: number | null; parent: string; fkid: number }[];
    return rows.slice(0, SHOWN).map((row) => {
      const key = (db.prepare(`PRAGMA foreign_key_list(${quoteIdentifier(row.table)})`).all() as { id: number; from: string; to: string | null }[]).find((fk) => fk.id === row.fkid);
      const column = key ? `${key.from} → ${row.parent}.${key.to ?? "rowid"}` : `→ ${row.parent}`;
      return `table ${row.table} row ${row.rowid ?? "?"}: foreign key ${column} points at a row that does not exist`;
    });
  });
}

/** Keys of `tables` that reference a table other than those `created` (lower-case name → name). */
export function danglingForeignKeys({ file, tables, created }: { file: string; tables: string[]; created: string[] }): string[] {
  const known = new Set(created.map((name) => name.toLowerCase()));
  return withUntrustedDatabase(file, (db) =>
    tables.flatMap((table) => {
      const keys = db.prepare(`PRAGMA foreign_key_list(${quoteIdentifier(table)})`).all() as { table: string; from: string; to: string | null }[];
      return keys.filter((key) => !known.has(key.table.toLowerCase())).map((key) => `table ${table}: foreign key ${key.from} references table ${key.table}, which the schema does not create`);
    }),
  );
}
