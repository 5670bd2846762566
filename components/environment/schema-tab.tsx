"use client";

import Link from "next/link";
import { useEffect, useMemo } from "react";
import { useAnchor } from "@/components/code/use-anchor";
import { erInputs } from "@/components/schema/er-inputs";
import { ErDiagram } from "@/components/schema/er-diagram";
import styles from "@/components/schema/schema.module.css";
import { BrokenTableCard, TableCard, tableAnchorId } from "@/components/schema/table-card";
import { useDatabase } from "@/components/schema/use-database";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";
import { schemaEditorHref } from "./tab-bar";

/** The seed database's tables and their relationships; `?table=` selects one. */
export function SchemaTab({ name }: { name: string }) {
  const database = useDatabase(name);
  const [selected, setSelected] = useAnchor("table");
  const diagramTables = useMemo(() => (database.data ? erInputs(database.data.tables, database.data.broken) : []), [database.data]);

  useEffect(() => {
    if (selected && database.data) document.getElementById(tableAnchorId(selected))?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [selected, database.data]);

  if (database.isPending) return <div className="faint">Loading schema…</div>;
  if (database.isError) return <ErrorBox title="Could not read the seed database" error={database.error} />;
  const { tables, broken, seedFailures, missing } = database.data;
  const failuresByTable = new Map<string, number>();
  for (const failure of seedFailures) failuresByTable.set(failure.table, (failuresByTable.get(failure.table) ?? 0) + 1);

  return (
    <div className={styles.tab} data-testid="schema-tab">
      {missing && <ErrorBox title="No seed database" error={missing} />}
      {broken.length > 0 && (
        <div className="error-box" role="alert">
          <div className="error-box__title">
            {broken.length} table{broken.length === 1 ? "" : "s"} could not be created:{" "}
            {broken.map((table, i) => (
              <span key={table.name}>
                {i > 0 && ", "}
                <button type="button" className={styles.refLink} onClick={() => setSelected(table.name)}>
                  {table.name}
                </button>{" "}
                (
                <Link href={schemaEditorHref(name, table.name)} data-testid="edit-table-sql">
                  edit its SQL
                </Link>
                )
              </span>
            ))}
          </div>
        </div>
      )}
      {tables.length === 0 && broken.length === 0 ? (
        <EmptyState title="No tables">The schema record declares no tables.</EmptyState>
      ) : (
        <ErDiagram tables={diagramTables} selected={selected} onSelect={(table) => setSelected(table)} />
      )}
      <div className={styles.tableList}>
        {broken.map((table) => (
          <BrokenTableCard key={table.name} table={table} highlighted={selected === table.name} />
        ))}
        {tables.map((table) => (
          <TableCard
            key={table.name}
            table={table}
            envName={name}
            highlighted={selected === table.name}
            seedFailures={failuresByTable.get(table.name) ?? 0}
            onSelect={(target) => setSelected(target)}
          />
        ))}
      </div>
    </div>
  );
}
