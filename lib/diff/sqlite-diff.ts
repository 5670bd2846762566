/**
 * Row-level difference between two SQLite databases (e.g. an environment's initial and final state).
 * The work happens inside SQLite: the "before" file is ATTACHed to the "after" one, rows are matched
 * by primary key (rowid for tables without one) with indexed joins and compared whole, so only
 * changed rows ever reach JavaScript, each cell capped (untrusted-db/cells.ts). Both files are
 * untrusted, so diffDatabases runs the diff in the database reader (untrusted-db/reader.ts).
 */
import type Database from "better-sqlite3";
import { cappedColumns, isBlobCell, isLongText, toCell, type CellValue } from "../untrusted-db/cells.ts";
import { openUntrustedDatabase, quoteIdentifier } from "../sqlite/toolbox.ts";
import { reportProgress } from "../untrusted-db/progress.ts";
import { readUntrusted, type ReadLimits } from "../untrusted-db/reader.ts";
import { messageOf } from "../errors.ts";

export type Row = Record<string, CellValue>;

export interface RowUpdate {
  key: Record<string, CellValue>;
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
  /** Tables SQLite could not compare (e.g. out of memory computing a value), with its message. */
  unreadable?: Record<string, string>;
}

interface TableShape {
  name: string;
  sql: string;
  columns: string[];
  /** Primary-key columns in key order, or ["rowid"] for a rowid table without a primary key. */
  key: string[];
}

type Schema = "main" | "before";

/** Cell text a whole diff may carry (about 100,000 rows of 300 characters); past it a table is unreadable. */
export const DIFF_MAX_CELL_CHARS = 32 * 1024 * 1024;

/** Counts the cell text a diff has collected, so that a huge change fails fast and names its table. */
class CellBudget {
  constructor(private left: number) {}

  charge(row: Row): Row {
    for (const value of Object.values(row)) this.left -= 16 + (typeof value === "string" ? value.length : isLongText(value) ? value.text.length : isBlobCell(value) ? value.hex.length : 0);
    if (this.left < 0) throw new Error(`the change is larger than the ${DIFF_MAX_CELL_CHARS / 1024 / 1024} MiB of cell text one diff may hold`);
    return row;
  }
}

/** The diff of two untrusted databases, computed in the database reader with its memory and time caps. */
export function diffDatabases(beforeFile: string, afterFile: string, limits?: ReadLimits): Promise<DbDiff> {
  return readUntrusted("diff", { before: beforeFile, after: afterFile }, limits);
}

/** The diff computed in this process: only for the database reader (and tests of the diff itself). */
export function diffDatabasesInThisProcess(beforeFile: string, afterFile: string): DbDiff {
  let db: Database.Database | undefined;
  try {
    db = openUntrustedDatabase(afterFile);
    // An attached database is opened with the main connection's flags, so it is read-only too.
    db.prepare("ATTACH DATABASE ? AS before").run(beforeFile);
    const before = readTables(db, "before");
    const after = readTables(db, "main");
    const diff: DbDiff = { tables: {}, schema: { addedTables: [], removedTables: [], changedTables: [] } };
    const budget = new CellBudget(DIFF_MAX_CELL_CHARS);
    const record = (name: string, tableDiff: () => TableDiff) => {
      reportProgress(`table "${name}"`);
      try {
        const result = tableDiff();
        if (result.inserted.length + result.deleted.length + result.updated.length > 0) diff.tables[name] = result;
      } catch (error) {
        diff.unreadable = { ...diff.unreadable, [name]: messageOf(error) };
      }
    };

    for (const [name, shape] of after) {
      const old = before.get(name);
      if (!old) {
        diff.schema.addedTables.push(name);
        record(name, () => ({ inserted: allRows(db!, "main", shape, budget), deleted: [], updated: [] }));
      } else {
        if (normalizeSql(old.sql) !== normalizeSql(shape.sql)) diff.schema.changedTables.push(name);
        record(name, () => diffTable(db!, old, shape, budget));
      }
    }
    for (const [name, shape] of before) {
      if (after.has(name)) continue;
      diff.schema.removedTables.push(name);
      record(name, () => ({ inserted: [], deleted: allRows(db!, "before", shape, budget), updated: [] }));
    }
    return diff;
  } catch (error) {
    throw new Error(`cannot diff ${beforeFile} -> ${afterFile}: ${messageOf(error)}`, { cause: error });
  } finally {
    db?.close();
  }
}

function readTables(db: Database.Database, schema: Schema): Map<string, TableShape> {
  const tables = db
    .prepare(`SELECT name, sql FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`)
    .all() as { name: string; sql: string }[];
  // table_xinfo also lists generated columns (hidden 2 and 3), which SELECT * returns.
  const columnsOf = db.prepare("SELECT name, pk FROM pragma_table_xinfo(?, ?) WHERE hidden <> 1 ORDER BY cid");
  return new Map(
    tables.map(({ name, sql }) => {
      const info = columnsOf.all(name, schema) as { name: string; pk: number }[];
      const primaryKey = info.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name);
      return [name, { name, sql, columns: info.map((column) => column.name), key: primaryKey.length > 0 ? primaryKey : ["rowid"] }];
    }),
  );
}

function diffTable(db: Database.Database, before: TableShape, after: TableShape, budget: CellBudget): TableDiff {
  const sameKey = before.key.join("\0") === after.key.join("\0") && after.key.every((column) => column === "rowid" || before.columns.includes(column));
  if (!sameKey) {
    // The key itself changed: rows cannot be matched, so the table counts as replaced.
    return { inserted: allRows(db, "main", after, budget), deleted: allRows(db, "before", before, budget), updated: [] };
  }
  const table = quoteIdentifier(after.name);
  const matchOn = after.key.map((column) => `n.${quoteIdentifier(column)} = o.${quoteIdentifier(column)}`).join(" AND ");
  const onlyIn = (from: Schema, other: Schema, shape: TableShape) =>
    rowsOf(db, `SELECT ${selectCapped("o", shape.columns)} FROM ${from}.${table} AS o WHERE NOT EXISTS (SELECT 1 FROM ${other}.${table} AS n WHERE ${matchOn})`, shape.columns, budget);

  // Whole values are compared inside SQLite: a change past the cap is still found.
  const compared = after.columns.filter((column) => before.columns.includes(column) && !after.key.includes(column));
  const differs = compared.map((column) => `o.${quoteIdentifier(column)} IS NOT n.${quoteIdentifier(column)}`);
  const sql = `SELECT ${[selectCapped("o", after.key), selectCapped("o", before.columns), selectCapped("n", after.columns), ...differs].join(", ")}
    FROM before.${table} AS o JOIN main.${table} AS n ON ${matchOn} WHERE ${differs.join(" OR ") || "0"}`;
  const updated: RowUpdate[] = [];
  for (const values of db.prepare(sql).raw().iterate() as IterableIterator<unknown[]>) {
    let offset = 0;
    const take = (columns: string[]) => {
      const row = budget.charge(zipCells(columns, values.slice(offset, offset + 2 * columns.length)));
      offset += 2 * columns.length;
      return row;
    };
    const key = take(after.key);
    const beforeRow = take(before.columns);
    const afterRow = take(after.columns);
    const flags = values.slice(offset);
    updated.push({ key, before: beforeRow, after: afterRow, changed: compared.filter((_, index) => flags[index] === 1) });
  }
  return { inserted: onlyIn("main", "before", after), deleted: onlyIn("before", "main", before), updated };
}

function allRows(db: Database.Database, schema: Schema, shape: TableShape, budget: CellBudget): Row[] {
  return rowsOf(db, `SELECT ${selectCapped("o", shape.columns)} FROM ${schema}.${quoteIdentifier(shape.name)} AS o`, shape.columns, budget);
}

/** Rows read one at a time, so a change over the budget stops before it is all in memory. */
function rowsOf(db: Database.Database, sql: string, columns: string[], budget: CellBudget): Row[] {
  const rows: Row[] = [];
  for (const values of db.prepare(sql).raw().iterate() as IterableIterator<unknown[]>) rows.push(budget.charge(zipCells(columns, values)));
  return rows;
}

/** Each column as a capped value and its length (see cappedColumns). */
function selectCapped(alias: string, columns: string[]): string {
  return columns.flatMap((column) => cappedColumns(`${alias}.${quoteIdentifier(column)}`)).join(", ");
}

function zipCells(names: string[], values: unknown[]): Row {
  const row: Row = {};
  names.forEach((name, index) => (row[name] = toCell(values[2 * index], values[2 * index + 1])));
  return row;
}

function normalizeSql(sql: string): string {
  return sql.replace(/\s+/g, " ").trim();
}
