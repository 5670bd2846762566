import type { DbDiff, TableDiff } from "@/lib/diff/sqlite-diff";
import { cellText, truncatedLength, truncationNote } from "@/components/data-grid/cell-value";
import { Badge } from "@/components/ui/badge";
import { diffColumns } from "./diff-columns";
import styles from "./db-diff.module.css";

/** Rows shown per table; a step that rewrites a whole table still renders fast. */
const ROW_LIMIT = 200;

/**
 * A row-level database diff: one table per changed database table, inserted rows green, deleted
 * rows red and struck through, updated rows with the changed cells highlighted (before → after),
 * the key and changed columns first.
 * `labels` names the two sides (e.g. "replayed" / "recorded"); default "before" / "after".
 */
export function DbDiffView({ diff, labels, testId = "db-diff" }: { diff: DbDiff; labels?: { before: string; after: string }; testId?: string }) {
  const tables = Object.entries(diff.tables);
  const { addedTables, removedTables, changedTables } = diff.schema;
  const schemaChanged = addedTables.length + removedTables.length + changedTables.length > 0;
  if (tables.length === 0 && !schemaChanged && Object.keys(diff.unreadable ?? {}).length === 0) {
    return (
      <div className={styles.empty} data-testid={testId} data-empty="true">
        No database change.
      </div>
    );
  }
  return (
    <div className={styles.diff} data-testid={testId} data-empty="false">
      {schemaChanged && (
        <div className={styles.schema}>
          <span className="muted">Schema:</span>
          {addedTables.map((name) => <Badge key={`a-${name}`} tone="ok">+ {name}</Badge>)}
          {removedTables.map((name) => <Badge key={`r-${name}`} tone="error">− {name}</Badge>)}
          {changedTables.map((name) => <Badge key={`c-${name}`} tone="warning">~ {name}</Badge>)}
        </div>
      )}
      {Object.entries(diff.unreadable ?? {}).map(([name, message]) => (
        <div key={`u-${name}`} className={styles.schema} data-testid="diff-unreadable" data-table={name}>
          <Badge tone="error">{name}</Badge>
          <span className="muted">could not be compared: {message}</span>
        </div>
      ))}
      {tables.map(([name, table]) => (
        <TableDiffView key={name} name={name} table={table} labels={labels} />
      ))}
    </div>
  );
}

function TableDiffView({ name, table, labels }: { name: string; table: TableDiff; labels?: { before: string; after: string } }) {
  const columns = diffColumns(table);
  const rows = [
    ...table.updated.map((update) => ({ kind: "updated" as const, row: update.after, before: update.before, changed: new Set(update.changed) })),
    ...table.inserted.map((row) => ({ kind: "inserted" as const, row, before: undefined, changed: undefined })),
    ...table.deleted.map((row) => ({ kind: "deleted" as const, row, before: undefined, changed: undefined })),
  ];
  const shown = rows.slice(0, ROW_LIMIT);
  return (
    <section className={styles.table} data-testid="diff-table" data-table={name}>
      <header className={styles.tableHeader}>
        <span className="mono">{name}</span>
        {table.updated.length > 0 && <Badge tone="warning">{table.updated.length} updated</Badge>}
        {table.inserted.length > 0 && <Badge tone="ok">{table.inserted.length} inserted</Badge>}
        {table.deleted.length > 0 && <Badge tone="error">{table.deleted.length} deleted</Badge>}
        {labels && <span className="faint">{`${labels.before} → ${labels.after}`}</span>}
      </header>
      <div className={styles.scroll}>
        <table className={styles.grid}>
          <thead>
            <tr>
              <th className={styles.kind} />
              {columns.map((column) => (
                <th key={column}>{column}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((entry, index) => (
              <tr key={index} className={styles[entry.kind]} data-testid="diff-row" data-kind={entry.kind}>
                <td className={styles.kind} title={entry.kind}>
                  {entry.kind === "inserted" ? "+" : entry.kind === "deleted" ? "−" : "~"}
                </td>
                {columns.map((column) =>
                  entry.changed?.has(column) ? (
                    <td key={column} className={styles.changed} data-testid="diff-changed-cell" data-column={column}>
                      <span className={styles.before}>
                        <Cell value={entry.before?.[column]} />
                      </span>
                      <span className={styles.after}>
                        <Cell value={entry.row[column]} />
                      </span>
                    </td>
                  ) : (
                    <td key={column} title={cellText(entry.row[column])}>
                      <Cell value={entry.row[column]} />
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > shown.length && <div className={styles.more}>{rows.length - shown.length} more row(s) not shown</div>}
    </section>
  );
}

/** A cell the diff holds truncated (the whole value was compared in SQLite) says so and how long it is. */
function Cell({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className={styles.null}>NULL</span>;
  const truncated = truncatedLength(value);
  if (truncated === undefined) return <>{cellText(value)}</>;
  return (
    <>
      {cellText(value)}
      <span className="faint" data-testid="diff-truncated">{` (${truncationNote(truncated)})`}</span>
    </>
  );
}
