import { CELL_FETCH_CAP, type CellValue } from "../untrusted-db/cells.ts";
import { knownTable, UnknownIdentifierError } from "./browse.ts";
import { quoteIdentifier } from "../sqlite/toolbox.ts";
import { columnNames, hasRowid, withSeedDb } from "./open.ts";
import { NotFoundError } from "../errors.ts";

export interface CellQuery {
  table: string;
  rowid: number;
  column: string;
}

/** One whole cell, up to CELL_FETCH_CAP characters of text (or CELL_FETCH_CAP bytes of a BLOB, in hex). */
export interface FullCell {
  value: string | number | null;
  /** "text", "blob" (value is hex), "integer", "real" or "null". */
  type: string;
  /** Full length in characters (text) or bytes (BLOB). */
  length: number | null;
  /** The value was longer than the cap; `value` holds its first CELL_FETCH_CAP characters or bytes. */
  truncated: boolean;
  cap: number;
}

/** One cell of a seed database table. Untrusted database: call this only inside the database reader. */
export function readCell(file: string, query: CellQuery): FullCell {
  return withSeedDb(file, (db) => {
    const table = knownTable(db, query.table);
    if (!columnNames(db, table).includes(query.column)) throw new UnknownIdentifierError(`unknown column "${query.column}" in table "${table}"`);
    if (!hasRowid(db, table)) throw new UnknownIdentifierError(`table "${table}" has no rowid, so its cells cannot be fetched one by one`);
    // The value is read once, in a subquery that OFFSET keeps SQLite from flattening into this one: a
    // generated column would otherwise be computed again for every mention (a hostile one for seconds).
    const once = `SELECT ${quoteIdentifier(query.column)} AS v FROM ${quoteIdentifier(table)} WHERE rowid = ? LIMIT 1 OFFSET 0`;
    const row = db
      .prepare(
        `SELECT typeof(v) AS type, CASE typeof(v) WHEN 'blob' THEN hex(substr(v, 1, ${CELL_FETCH_CAP})) ELSE substr(v, 1, ${CELL_FETCH_CAP}) END AS value,
        CASE WHEN typeof(v) IN ('text', 'blob') THEN length(v) END AS length FROM (${once})`,
      )
      .get(query.rowid) as { type: string; value: CellValue; length: number | null } | undefined;
    if (!row) throw new NotFoundError(`no row with rowid ${query.rowid} in table "${table}"`);
    const value = row.type === "integer" || row.type === "real" ? (row.value as number) : row.type === "null" ? null : String(row.value);
    return { value, type: row.type, length: row.length, truncated: (row.length ?? 0) > CELL_FETCH_CAP, cap: CELL_FETCH_CAP };
  });
}
