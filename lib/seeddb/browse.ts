import type Database from "better-sqlite3";
import { InvalidInputError } from "../errors.ts";
import { cappedColumns, toCell, type CellValue } from "../untrusted-db/cells.ts";
import { quoteIdentifier } from "../sqlite/toolbox.ts";
import { columnNames, hasRowid, tableNames, withSeedDb } from "./open.ts";

export const MAX_PAGE_SIZE = 200;

export interface BrowseQuery {
  table: string;
  /** 1-based. */
  page: number;
  pageSize: number;
  sort?: string;
  dir?: "asc" | "desc";
  /** Case-insensitive substring match over all columns. */
  filter?: string;
  /** Case-insensitive substring match per column. */
  columnFilters?: Record<string, string>;
}

export interface BrowsePage {
  columns: string[];
  /** Cells capped (untrusted-db/cells.ts); a long one is fetched whole with readCell. */
  rows: CellValue[][];
  /** Each row's rowid, for fetching one of its cells; null for a WITHOUT ROWID table. */
  rowids: number[] | null;
  /** Rows matching the filters (all pages). */
  total: number;
}

/** A table or column name that is not in the database (invalid input: a 400 in routes). */
export class UnknownIdentifierError extends InvalidInputError {
  override name = "UnknownIdentifierError";
}

/**
 * One page of a seed database table, filtered and sorted. Identifiers are checked against the schema.
 * The database is untrusted: call this only inside the database reader (environment-database.ts).
 */
export function browseTable(file: string, query: BrowseQuery): BrowsePage {
  if (!Number.isInteger(query.page) || query.page < 1) throw new RangeError(`page must be a positive integer, got ${query.page}`);
  if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${query.pageSize}`);
  }
  return withSeedDb(file, (db) => {
    const table = knownTable(db, query.table);
    const columns = columnNames(db, table);
    const known = (column: string, what: string) => {
      if (!columns.includes(column)) throw new UnknownIdentifierError(`unknown ${what} column "${column}" in table "${table}"`);
      return quoteIdentifier(column);
    };

    const conditions: string[] = [];
    const values: string[] = [];
    if (query.filter) {
      conditions.push(`(${columns.map((c) => `${likeTarget(quoteIdentifier(c))} LIKE ? ESCAPE '\\'`).join(" OR ")})`);
      values.push(...columns.map(() => likePattern(query.filter ?? "")));
    }
    for (const [column, text] of Object.entries(query.columnFilters ?? {})) {
      const quoted = known(column, "filter");
      if (text === "") continue;
      conditions.push(`${likeTarget(quoted)} LIKE ? ESCAPE '\\'`);
      values.push(likePattern(text));
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "";
    const withRowid = hasRowid(db, table);
    const order = orderBy(quoteIdentifier(table), query.sort === undefined ? undefined : known(query.sort, "sort"), query.dir, withRowid);
    const from = `FROM ${quoteIdentifier(table)}${where}`;

    const total = (db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...values) as { n: number }).n;
    // The page is read in a subquery that OFFSET keeps SQLite from flattening, so each value is
    // computed once, not again for each mention in cappedColumns (a hostile generated column takes
    // seconds). SQLite runs it as a co-routine, whose rows the outer query reads in the page's order.
    const page = `SELECT ${[...columns.map((column, index) => `${quoteIdentifier(column)} AS c${index}`), ...(withRowid ? ["rowid AS r"] : [])].join(", ")} ${from}${order} LIMIT ? OFFSET ?`;
    const selected = [...columns.flatMap((_, index) => cappedColumns(`c${index}`)), ...(withRowid ? ["r"] : [])];
    const rows = db
      .prepare(`SELECT ${selected.join(", ")} FROM (${page})`)
      .raw(true)
      .all(...values, query.pageSize, (query.page - 1) * query.pageSize) as unknown[][];
    return {
      columns,
      rows: rows.map((row) => columns.map((_, index) => toCell(row[2 * index], row[2 * index + 1]))),
      rowids: withRowid ? rows.map((row) => Number(row[2 * columns.length])) : null,
      total,
    };
  });
}

/** The table of that exact name, or an UnknownIdentifierError. */
export function knownTable(db: Database.Database, name: string): string {
  const table = tableNames(db).find((candidate) => candidate === name);
  if (!table) throw new UnknownIdentifierError(`unknown table "${name}"`);
  return table;
}

/** BLOBs are matched on their hex text; everything else on its text form. */
function likeTarget(quotedColumn: string): string {
  return `CASE WHEN typeof(${quotedColumn}) = 'blob' THEN hex(${quotedColumn}) ELSE CAST(${quotedColumn} AS TEXT) END`;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * Sorted by the chosen column, then by rowid (where the table has one) so paging is stable. Names are
 * qualified with the table: in ORDER BY a bare name would match the page query's aliases (c0, r) first.
 */
function orderBy(quotedTable: string, quotedSort: string | undefined, dir: "asc" | "desc" | undefined, withRowid: boolean): string {
  const keys: string[] = [];
  if (quotedSort) keys.push(`${quotedTable}.${quotedSort} ${dir === "desc" ? "DESC" : "ASC"}`);
  if (withRowid) keys.push(`${quotedTable}.rowid ASC`);
  return keys.length > 0 ? ` ORDER BY ${keys.join(", ")}` : "";
}
