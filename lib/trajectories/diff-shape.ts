import type { DbDiff } from "../diff/sqlite-diff.ts";

export function emptyDiff(): DbDiff {
  return { tables: {}, schema: { addedTables: [], removedTables: [], changedTables: [] } };
}

/** No row or schema change, and no table that could not be compared (that is not known to be unchanged). */
export function isEmptyDiff(diff: DbDiff): boolean {
  const { addedTables, removedTables, changedTables } = diff.schema;
  const unreadable = Object.keys(diff.unreadable ?? {}).length;
  return Object.keys(diff.tables).length === 0 && addedTables.length + removedTables.length + changedTables.length + unreadable === 0;
}

/** Rows a diff inserts, deletes or updates, over all tables. */
export function countChangedRows(diff: DbDiff): number {
  return Object.values(diff.tables).reduce((sum, table) => sum + table.inserted.length + table.deleted.length + table.updated.length, 0);
}
