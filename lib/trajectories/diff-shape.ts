import type { DbDiff } from "../diff/sqlite-diff.ts";

export function emptyDiff(): DbDiff {
  return { tables: {}, schema: { addedTables: [], removedTables: [], changedTables: [] } };
}

export function isEmptyDiff(diff: DbDiff): boolean {
  const { addedTables, removedTables, changedTables } = diff.schema;
  return Object.keys(diff.tables).length === 0 && addedTables.length + removedTables.length + changedTables.length === 0;
}
