import type Database from "better-sqlite3";
import { quoteIdentifier } from "../sqlite/toolbox.ts";
import { tableNames, withSeedDb } from "./open.ts";

export interface SeedColumn {
  name: string;
  /** Declared type as written in the DDL ("" when none). */
  type: string;
  notNull: boolean;
  /** Default expression as SQLite stores it (e.g. `'USD'`, `CURRENT_TIMESTAMP`), null when none. */
  defaultValue: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  primaryKey: number;
}

/** One FOREIGN KEY constraint (possibly over several columns). */
export interface SeedForeignKey {
  columns: string[];
  table: string;
  /** Referenced columns; an implicit reference to the primary key is resolved when that table exists. */
  referencedColumns: (string | null)[];
  onDelete: string;
  onUpdate: string;
}

export interface SeedIndex {
  name: string;
  unique: boolean;
  columns: string[];
  /** c: CREATE INDEX, u: UNIQUE constraint, pk: PRIMARY KEY constraint. */
  origin: string;
}

export interface SeedTable {
  name: string;
  columns: SeedColumn[];
  foreignKeys: SeedForeignKey[];
  indexes: SeedIndex[];
  rowCount: number;
}

interface TableInfoRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}

interface IndexListRow {
  name: string;
  unique: number;
  origin: string;
}

/** Every user table of a seed database with its columns, foreign keys, indexes and row count. */
export function introspectSeedDb(file: string): SeedTable[] {
  return withSeedDb(file, (db) => {
    const tables = tableNames(db).map((name) => describeTable(db, name));
    return resolveImplicitReferences(tables);
  });
}

function describeTable(db: Database.Database, name: string): SeedTable {
  const quoted = quoteIdentifier(name);
  const columns = (db.prepare(`PRAGMA table_info(${quoted})`).all() as TableInfoRow[]).map((row) => ({
    name: row.name,
    type: row.type,
    notNull: row.notnull === 1,
    defaultValue: row.dflt_value,
    primaryKey: row.pk,
  }));
  const rowCount = (db.prepare(`SELECT COUNT(*) AS n FROM ${quoted}`).get() as { n: number }).n;
  return { name, columns, foreignKeys: foreignKeys(db, quoted), indexes: indexes(db, quoted), rowCount };
}

function foreignKeys(db: Database.Database, quotedTable: string): SeedForeignKey[] {
  const rows = db.prepare(`PRAGMA foreign_key_list(${quotedTable})`).all() as ForeignKeyRow[];
  const byId = new Map<number, SeedForeignKey>();
  for (const row of [...rows].sort((a, b) => a.id - b.id || a.seq - b.seq)) {
    let key = byId.get(row.id);
    if (!key) {
      key = { columns: [], table: row.table, referencedColumns: [], onDelete: row.on_delete, onUpdate: row.on_update };
      byId.set(row.id, key);
    }
    key.columns.push(row.from);
    key.referencedColumns.push(row.to);
  }
  // SQLite lists constraints last-declared first; show them in DDL order.
  return [...byId.values()].reverse();
}

function indexes(db: Database.Database, quotedTable: string): SeedIndex[] {
  const list = db.prepare(`PRAGMA index_list(${quotedTable})`).all() as IndexListRow[];
  return list
    .map((row) => ({
      name: row.name,
      unique: row.unique === 1,
      origin: row.origin,
      columns: (db.prepare(`PRAGMA index_info(${quoteIdentifier(row.name)})`).all() as { name: string | null }[]).map(
        (col) => col.name ?? "(expression)",
      ),
    }))
    .reverse();
}

/** `REFERENCES users` without a column means users' primary key: name it when we know it. */
function resolveImplicitReferences(tables: SeedTable[]): SeedTable[] {
  const primaryKeys = new Map(
    tables.map((table) => [
      table.name.toLowerCase(),
      table.columns.filter((c) => c.primaryKey > 0).sort((a, b) => a.primaryKey - b.primaryKey).map((c) => c.name),
    ]),
  );
  for (const table of tables) {
    for (const key of table.foreignKeys) {
      const pk = primaryKeys.get(key.table.toLowerCase());
      if (!pk) continue;
      key.referencedColumns = key.referencedColumns.map((col, i) => col ?? pk[i] ?? null);
    }
  }
  return tables;
}
