import Link from "next/link";
import type { SeedTable } from "@/lib/seeddb/introspect";
import type { BrokenTable } from "@/lib/seeddb/problems";
import styles from "./schema.module.css";

export function tableAnchorId(table: string): string {
  return `schema-table-${table}`;
}

/** One table: columns with keys, NOT NULL and defaults, then its indexes. */
export function TableCard({
  table,
  envName,
  highlighted,
  seedFailures,
  onSelect,
}: {
  table: SeedTable;
  envName: string;
  highlighted: boolean;
  seedFailures: number;
  onSelect: (table: string) => void;
}) {
  const references = new Map(
    table.foreignKeys.flatMap((key) => key.columns.map((column, i) => [column, { table: key.table, column: key.referencedColumns[i] }] as const)),
  );
  return (
    <section id={tableAnchorId(table.name)} className={`card ${styles.tableCard} ${highlighted ? styles.highlighted : ""}`} data-testid="schema-table" data-table={table.name}>
      <header className="card__header">
        <h3 className="mono">{table.name}</h3>
        <span className="count-chip">{table.rowCount.toLocaleString("en-US")} rows</span>
        {seedFailures > 0 && (
          <Link className="badge badge--error" href={`/environments/${encodeURIComponent(envName)}?tab=data&table=${encodeURIComponent(table.name)}`}>
            {seedFailures} failed INSERT{seedFailures === 1 ? "" : "s"}
          </Link>
        )}
        <span className={styles.spacer} />
        <Link href={`/environments/${encodeURIComponent(envName)}?tab=data&table=${encodeURIComponent(table.name)}`}>Browse rows →</Link>
      </header>
      <table className={styles.columns}>
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th>Key</th>
            <th>Not null</th>
            <th>Default</th>
            <th>References</th>
          </tr>
        </thead>
        <tbody>
          {table.columns.map((column) => {
            const ref = references.get(column.name);
            return (
              <tr key={column.name}>
                <td className="mono">{column.name}</td>
                <td className="mono faint">{column.type || "—"}</td>
                <td>
                  {column.primaryKey > 0 && <span className={styles.pk}>PK{table.columns.filter((c) => c.primaryKey > 0).length > 1 ? ` ${column.primaryKey}` : ""}</span>}
                  {ref && <span className={styles.fk}>FK</span>}
                </td>
                <td>{column.notNull ? "NOT NULL" : <span className="faint">—</span>}</td>
                <td className={`mono ${styles.wrap}`}>{column.defaultValue ?? <span className="faint">—</span>}</td>
                <td className="mono">
                  {ref ? (
                    <button type="button" className={styles.refLink} onClick={() => onSelect(ref.table)}>
                      {ref.table}
                      {ref.column ? `.${ref.column}` : ""}
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {table.indexes.length > 0 && (
        <div className={styles.indexes}>
          {table.indexes.map((index) => (
            <span key={index.name} className={styles.index} title={index.name}>
              {index.unique && <strong>UNIQUE </strong>}
              <span className="mono">({index.columns.join(", ")})</span>{" "}
              <span className="faint mono">{index.origin === "c" ? index.name : index.origin === "pk" ? "primary key" : "unique constraint"}</span>
            </span>
          ))}
        </div>
      )}
    </section>
  );
}

/** A table whose CREATE TABLE failed: its DDL and SQLite's message. */
export function BrokenTableCard({ table, highlighted }: { table: BrokenTable; highlighted: boolean }) {
  return (
    <section id={tableAnchorId(table.name)} className={`card ${styles.tableCard} ${styles.broken} ${highlighted ? styles.highlighted : ""}`} data-testid="schema-broken-table" data-table={table.name}>
      <header className="card__header">
        <h3 className="mono">{table.name}</h3>
        <span className="badge badge--error">could not be created</span>
      </header>
      <div className="card__body">
        <pre className={styles.error}>{table.error}</pre>
        <pre className={`code-block ${styles.ddl}`}>{table.ddl}</pre>
      </div>
    </section>
  );
}
