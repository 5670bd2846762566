"use client";

import { useState } from "react";
import { useAnchor } from "@/components/code/use-anchor";
import { DataGrid, type GridSort, type OpenedCell } from "@/components/data-grid/data-grid";
import styles from "@/components/data-grid/data-tab.module.css";
import { SeedFailures } from "@/components/data-grid/seed-failures";
import { useDebouncedValue } from "@/components/data-grid/use-debounced-value";
import { useTablePage } from "@/components/data-grid/use-table-page";
import { ValuePanel } from "@/components/data-grid/value-panel";
import { useDatabase } from "@/components/schema/use-database";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";
import type { SeedFailure } from "@/lib/seeddb/problems";

const PAGE_SIZES = [5, 10, 25, 50, 100, 200];

/** Browse any table of the seed database; `?table=` picks it, `?statement=` marks a failed INSERT. */
export function DataTab({ name }: { name: string }) {
  const database = useDatabase(name);
  const [tableParam, setTable] = useAnchor("table");
  const [statementParam] = useAnchor("statement");

  if (database.isPending) return <div className="faint">Loading tables…</div>;
  if (database.isError) return <ErrorBox title="Could not read the seed database" error={database.error} />;
  const { tables, broken, seedFailures, missing } = database.data;
  if (missing) return <ErrorBox title="No seed database" error={missing} />;
  if (tables.length === 0) return <EmptyState title="The seed database has no tables" />;

  const brokenTable = broken.find((t) => t.name === tableParam);
  const table = brokenTable ?? tables.find((t) => t.name === tableParam) ?? tables[0]!;
  const failures = seedFailures.filter((f) => f.table === table.name);
  const statement = statementParam === null ? null : Number(statementParam);
  const highlightedStatement = Number.isInteger(statement) ? statement : null;

  return (
    <div className={styles.layout} data-testid="data-tab">
      <nav className={styles.tables} aria-label="Tables">
        <ul>
          {tables.map((t) => {
            const failed = seedFailures.filter((f) => f.table === t.name).length;
            return (
              <li key={t.name}>
                <button
                  type="button"
                  className={`${styles.tableItem} ${t === table ? styles.tableItemActive : ""}`}
                  data-table={t.name}
                  onClick={() => setTable(t.name, ["statement"])}
                >
                  <span className={styles.tableName}>{t.name}</span>
                  {failed > 0 && (
                    <span className="badge badge--error" title={`${failed} failed INSERT${failed === 1 ? "" : "s"}`}>
                      {failed}
                    </span>
                  )}
                  <span className={styles.tableCount}>{t.rowCount.toLocaleString("en-US")}</span>
                </button>
              </li>
            );
          })}
          {broken.map((t) => (
            <li key={t.name}>
              <button
                type="button"
                className={`${styles.tableItem} ${styles.tableItemBroken} ${t === table ? styles.tableItemActive : ""}`}
                data-table={t.name}
                title={t.error}
                onClick={() => setTable(t.name, ["statement"])}
              >
                <span className={styles.tableName}>{t.name}</span>
                <span className="badge badge--error">broken</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {brokenTable ? (
        <div className={styles.browser}>
          <ErrorBox title={`Table ${brokenTable.name} could not be created, so it has no rows`} error={brokenTable.error} />
          <SeedFailures failures={failures} highlighted={highlightedStatement} />
        </div>
      ) : (
        <TableBrowser key={table.name} name={name} table={table.name} failures={failures} highlightedStatement={highlightedStatement} />
      )}
    </div>
  );
}

function TableBrowser({ name, table, failures, highlightedStatement }: { name: string; table: string; failures: SeedFailure[]; highlightedStatement: number | null }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [sort, setSort] = useState<GridSort | null>(null);
  const [filter, setFilter] = useState("");
  const [columnFilters, setColumnFilters] = useState<Record<string, string>>({});
  const [opened, setOpened] = useState<OpenedCell | null>(null);
  const settledFilter = useDebouncedValue(filter);
  const settledColumnFilters = useDebouncedValue(columnFilters);

  const query = useTablePage(name, table, {
    page,
    pageSize,
    ...(sort && { sort: sort.column, dir: sort.dir }),
    ...(settledFilter && { filter: settledFilter }),
    columnFilters: settledColumnFilters,
  });
  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const firstRow = (page - 1) * pageSize + 1;

  return (
    <div className={styles.browser}>
      <SeedFailures failures={failures} highlighted={highlightedStatement} />
      <div className={styles.toolbar}>
        <h2 className="mono">{table}</h2>
        <input
          className={`input ${styles.search}`}
          placeholder="Filter all columns"
          aria-label="Filter all columns"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setPage(1);
          }}
        />
        <span className={styles.spacer} />
        <span className="faint num" data-testid="grid-total">
          {total === 0 ? "0 rows" : `${firstRow.toLocaleString("en-US")}–${Math.min(total, page * pageSize).toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`}
        </span>
        <select
          className="input"
          aria-label="Rows per page"
          value={pageSize}
          onChange={(e) => {
            setPageSize(Number(e.target.value));
            setPage(1);
          }}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size} / page
            </option>
          ))}
        </select>
        <span className="segmented">
          <button type="button" className="segmented__item" disabled={page <= 1} onClick={() => setPage(1)} aria-label="First page">
            «
          </button>
          <button type="button" className="segmented__item" disabled={page <= 1} onClick={() => setPage(page - 1)} aria-label="Previous page">
            ‹
          </button>
          <span className="segmented__item num" data-testid="grid-page">
            {page} / {pages}
          </span>
          <button type="button" className="segmented__item" disabled={page >= pages} onClick={() => setPage(page + 1)} aria-label="Next page">
            ›
          </button>
          <button type="button" className="segmented__item" disabled={page >= pages} onClick={() => setPage(pages)} aria-label="Last page">
            »
          </button>
        </span>
      </div>
      {query.isError && <ErrorBox title={`Could not read table ${table}`} error={query.error} />}
      <div className={`${styles.gridArea} ${opened ? styles.gridAreaWithPanel : ""}`}>
        {query.data ? (
          <DataGrid
            columns={query.data.columns}
            rows={query.data.rows}
            rowids={query.data.rowids}
            firstRowNumber={firstRow}
            sort={sort}
            onSort={(next) => {
              setSort(next);
              setPage(1);
            }}
            columnFilters={columnFilters}
            onColumnFilter={(column, text) => {
              setColumnFilters((current) => ({ ...current, [column]: text }));
              setPage(1);
            }}
            onOpen={setOpened}
            opened={opened}
            loading={query.isPlaceholderData || query.isFetching}
          />
        ) : (
          !query.isError && <div className="faint">Loading rows…</div>
        )}
        {opened && <ValuePanel key={`${opened.rowNumber}:${opened.column}`} cell={opened} source={{ name, table }} onClose={() => setOpened(null)} />}
      </div>
    </div>
  );
}
