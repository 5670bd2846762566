import type { Row, TableDiff } from "@/lib/diff/sqlite-diff";

/**
 * A changed table's columns in the order the diff shows them: the rows' key, then every column an
 * update changed, then the rest as the rows have them. On a wide table the change itself is on
 * screen, not behind ten columns nobody touched.
 */
export function diffColumns(table: TableDiff): string[] {
  const columns = new Set<string>();
  for (const update of table.updated) Object.keys(update.key).forEach((column) => columns.add(column));
  for (const update of table.updated) update.changed.forEach((column) => columns.add(column));
  const add = (row: Row) => Object.keys(row).forEach((column) => columns.add(column));
  table.updated.forEach((update) => add(update.after));
  table.inserted.forEach(add);
  table.deleted.forEach(add);
  return [...columns];
}
