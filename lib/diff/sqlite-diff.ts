/**
 * Row-level difference between two SQLite databases (e.g. an environment's initial and final state).
 * The work happens inside SQLite: the "before" file is ATTACHed to the "after" one and rows are
 * matched by primary key (rowid for tables without one) with indexed joins, so only changed rows
 * ever reach JavaScript.
 */
import Database from "better-sqlite3";

export type Row = Record<string, unknown>;

export interface RowUpdate {
  key: Record<string, unknown>;
  before: Row;
  after: Row;
  changed: string[];
}

export interface TableDiff {
  inserted: Row[];
  deleted: Row[];
  updated: RowUpdate[];
}

export interface DbDiff {
  /** Only tables with at least one inserted, deleted or updated row. */
  tables: Record<string, TableDiff>;
  schema: { addedTables: string[]; removedTables: string[]; changedTables: string[] };
}

interface TableShape {
  name: string;
  sql: string;
  columns: string[];
  /** Primary-key columns in key order, or ["rowid"] for a rowid table without a primary key. */
  key: string[];
}

type Schema = "main" | "before";

export function diffDatabases(beforeFile: string, afterFile: string): DbDiff {
  let db: Database.Database | undefined;
  try {
    db = new Database(afterFile, { readonly: true, fileMustExist: true });
    // An attached database is opened with the main connection's flags, so it is read-only too.
    db.prepare("ATTACH DATABASE ? AS before").run(beforeFile);
    const before = readTables(db, "before");
    const after = readTables(db, "main");
    const diff: DbDiff = { tables: {}, schema: { addedTables: [], removedTables: [], changedTables: [] } };

    for (const [name, shape] of after) {
      const old = before.get(name);
      let tableDiff: TableDiff;
      if (!old) {
        diff.schema.addedTables.push(name);
        tableDiff = { inserted: allRows(db, "main", name), deleted: [], updated: [] };
      } else {
        if (normalizeSql(old.sql) !== normalizeSql(shape.sql)) diff.schema.changedTables.push(name);
        tableDiff = diffTable(db, old, shape);
      }
      if (tableDiff.inserted.length + tableDiff.deleted.length + tableDiff.updated.length > 0) diff.tables[name] = tableDiff;
    }
    for (const name of before.keys()) {
      if (after.has(name)) continue;
      diff.schema.removedTables.push(name);
      const deleted = allRows(db, "before", name);
      if (deleted.length > 0) diff.tables[name] = { inserted: [], deleted, updated: [] };
    }
    return diff;
  } catch (error) {
    throw new Error(`cannot diff ${beforeFile} -> ${afterFile}: ${(error as Error).message}`, { cause: error });
  } finally {
    db?.close();
  }
}

function readTables(db: Database.Database, schema: Schema): Map<string, TableShape> {
  const tables = db
    .prepare(`SELECT name, sql FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`)
    .all() as { name: string; sql: string }[];
  const columnsOf = db.prepare("SELECT name, pk FROM pragma_table_info(?, ?) ORDER BY cid");
  return new Map(
    tables.map(({ name, sql }) => {
      const info = columnsOf.all(name, schema) as { name: string; pk: number }[];
      const primaryKey = info.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name);
      return [name, { name, sql, columns: info.map((column) => column.name), key: primaryKey.length > 0 ? primaryKey : ["rowid"] }];
    }),
  );
}

function diffTable(db: Database.Database, before: TableShape, after: TableShape): TableDiff {
  const sameKey = before.key.join("\0") === after.key.join("\0") && after.key.every((column) => column === "rowid" || before.columns.includes(column));
  if (!sameKey) {
    // The key itself changed: rows cannot be matched, so the table counts as replaced.
    return { inserted: allRows(db, "main", after.name), deleted: allRows(db, "before", before.name), updated: [] };
  }
  const table = quote(after.name);
  const matchOn = after.key.map((column) => `n.${quote(column)} = o.${quote(column)}`).join(" AND ");
  const onlyIn = (from: Schema, other: Schema) =>
    db.prepare(`SELECT * FROM ${from}.${table} AS o WHERE NOT EXISTS (SELECT 1 FROM ${other}.${table} AS n WHERE ${matchOn})`).all() as Row[];

  const compared = after.columns.filter((column) => before.columns.includes(column) && !after.key.includes(column));
  const differs = compared.map((column) => `o.${quote(column)} IS NOT n.${quote(column)}`).join(" OR ") || "0";
  const keyColumns = after.key.map((column) => `o.${quote(column)}`).join(", ");
  const updatedRows = db
    .prepare(`SELECT ${keyColumns}, o.*, n.* FROM before.${table} AS o JOIN main.${table} AS n ON ${matchOn} WHERE ${differs}`)
    .raw()
    .all() as unknown[][];
  const updated = updatedRows.map((values) => {
    const key = zip(after.key, values.slice(0, after.key.length));
    const beforeRow = zip(before.columns, values.slice(after.key.length, after.key.length + before.columns.length));
    const afterRow = zip(after.columns, values.slice(after.key.length + before.columns.length));
    return { key, before: beforeRow, after: afterRow, changed: compared.filter((column) => !sameValue(beforeRow[column], afterRow[column])) };
  });
  return { inserted: onlyIn("main", "before"), deleted: onlyIn("before", "main"), updated };
}

function allRows(db: Database.Database, schema: Schema, table: string): Row[] {
  return db.prepare(`SELECT * FROM ${schema}.${quote(table)}`).all() as Row[];
}

function zip(names: string[], values: unknown[]): Row {
  const row: Row = {};
  names.forEach((name, index) => (row[name] = values[index]));
  return row;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return a === b;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function normalizeSql(sql: string): string {
  return sql.replace(/\s+/g, " ").trim();
}
