import type Database from "better-sqlite3";
import { quoteIdent, tableNames, withSeedDb } from "./open.ts";

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

/** A BLOB cell: its size and the first bytes in hex (the grid cannot show raw bytes). */
export interface BlobCell {
  blob: number;
  hex: string;
}

export type CellValue = string | number | null | BlobCell;

export interface BrowsePage {
  columns: string[];
  rows: CellValue[][];
  /** Rows matching the filters (all pages). */
  total: number;
}

/** A table or column name that is not in the database; route handlers answer 400. */
export class UnknownIdentifierError extends Error {
  override name = "UnknownIdentifierError";
}

const BLOB_PREVIEW_BYTES = 32;

/** One page of a seed database table, filtered and sorted. Identifiers are checked against the schema. */
export function browseTable(file: string, query: BrowseQuery): BrowsePage {
  if (!Number.isInteger(query.page) || query.page < 1) throw new RangeError(`page must be a positive integer, got ${query.page}`);
  if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${query.pageSize}`);
  }
  return withSeedDb(file, (db) => {
    const table = tableNames(db).find((name) => name === query.table);
    if (!table) throw new UnknownIdentifierError(`unknown table "${query.table}"`);
    const columns = (db.prepare(`PRAGMA table_info(${quoteIdent(table)})`).all() as { name: string }[]).map((c) => c.name);
    const known = (column: string, what: string) => {
      if (!columns.includes(column)) throw new UnknownIdentifierError(`unknown ${what} column "${column}" in table "${table}"`);
      return quoteIdent(column);
    };

    const conditions: string[] = [];
    const values: string[] = [];
    if (query.filter) {
      conditions.push(`(${columns.map((c) => `${likeTarget(quoteIdent(c))} LIKE ? ESCAPE '\\'`).join(" OR ")})`);
      values.push(...columns.map(() => likePattern(query.filter ?? "")));
    }
    for (const [column, text] of Object.entries(query.columnFilters ?? {})) {
      const quoted = known(column, "filter");
      if (text === "") continue;
      conditions.push(`${likeTarget(quoted)} LIKE ? ESCAPE '\\'`);
      values.push(likePattern(text));
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "";
    const order = orderBy(db, table, query.sort === undefined ? undefined : known(query.sort, "sort"), query.dir);
    const from = `FROM ${quoteIdent(table)}${where}`;

    const total = (db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...values) as { n: number }).n;
    const rows = db
      .prepare(`SELECT * ${from}${order} LIMIT ? OFFSET ?`)
      .raw(true)
      .all(...values, query.pageSize, (query.page - 1) * query.pageSize) as unknown[][];
    return { columns, rows: rows.map((row) => row.map(toCell)), total };
  });
}

/** BLOBs are matched on their hex text; everything else on its text form. */
function likeTarget(quotedColumn: string): string {
  return `CASE WHEN typeof(${quotedColumn}) = 'blob' THEN hex(${quotedColumn}) ELSE CAST(${quotedColumn} AS TEXT) END`;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** Sorted by the chosen column, then by rowid (where the table has one) so paging is stable. */
function orderBy(db: Database.Database, table: string, quotedSort: string | undefined, dir: "asc" | "desc" | undefined): string {
  const keys: string[] = [];
  if (quotedSort) keys.push(`${quotedSort} ${dir === "desc" ? "DESC" : "ASC"}`);
  if (hasRowid(db, table)) keys.push("rowid ASC");
  return keys.length > 0 ? ` ORDER BY ${keys.join(", ")}` : "";
}

function hasRowid(db: Database.Database, table: string): boolean {
  try {
    db.prepare(`SELECT rowid FROM ${quoteIdent(table)} LIMIT 0`);
    return true;
  } catch {
    return false;
  }
}

function toCell(value: unknown): CellValue {
  if (value === null || typeof value === "string" || typeof value === "number") return value;
  if (typeof value === "bigint") return value.toString();
  if (Buffer.isBuffer(value)) return { blob: value.length, hex: value.subarray(0, BLOB_PREVIEW_BYTES).toString("hex") };
  return String(value);
}
