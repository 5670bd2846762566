"use client";

import type { CellValue } from "@/lib/untrusted-db/cells";
import { cellText, isLong, prettyJson, TRUNCATE_AT, truncatedLength, truncationNote } from "./cell-value";
import styles from "./data-grid.module.css";

export interface GridSort {
  column: string;
  dir: "asc" | "desc";
}

export interface OpenedCell {
  column: string;
  rowNumber: number;
  /** The row's rowid, when its cells can be fetched whole. */
  rowid: number | null;
  value: CellValue;
}

/**
 * A page of rows: click a header to sort (asc → desc → none), type under a header to filter that
 * column, click a cell to see its full value.
 */
export function DataGrid({
  columns,
  rows,
  rowids,
  firstRowNumber,
  sort,
  onSort,
  columnFilters,
  onColumnFilter,
  onOpen,
  opened,
  loading,
}: {
  columns: string[];
  rows: CellValue[][];
  rowids: number[] | null;
  firstRowNumber: number;
  sort: GridSort | null;
  onSort: (sort: GridSort | null) => void;
  columnFilters: Record<string, string>;
  onColumnFilter: (column: string, text: string) => void;
  onOpen: (cell: OpenedCell) => void;
  opened: OpenedCell | null;
  loading: boolean;
}) {
  const nextSort = (column: string): GridSort | null => {
    if (sort?.column !== column) return { column, dir: "asc" };
    return sort.dir === "asc" ? { column, dir: "desc" } : null;
  };
  return (
    <div className={`${styles.frame} ${loading ? styles.loading : ""}`}>
      <table className={styles.grid} data-testid="data-grid">
        <thead>
          <tr>
            <th className={styles.rowNumber}>#</th>
            {columns.map((column) => (
              <th key={column} aria-sort={sort?.column === column ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}>
                <button type="button" className={styles.sortButton} data-sort-column={column} onClick={() => onSort(nextSort(column))}>
                  {column}
                  <span className={styles.sortMark}>{sort?.column === column ? (sort.dir === "asc" ? "▲" : "▼") : ""}</span>
                </button>
              </th>
            ))}
          </tr>
          <tr className={styles.filterRow}>
            <th className={styles.rowNumber} />
            {columns.map((column) => (
              <th key={column}>
                <input
                  className={styles.filter}
                  placeholder="filter"
                  aria-label={`Filter ${column}`}
                  data-filter-column={column}
                  value={columnFilters[column] ?? ""}
                  onChange={(e) => onColumnFilter(column, e.target.value)}
                />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={firstRowNumber + r}>
              <td className={styles.rowNumber}>{firstRowNumber + r}</td>
              {row.map((value, c) => {
                const column = columns[c] ?? String(c);
                const long = isLong(value);
                const json = prettyJson(value) !== undefined;
                const text = cellText(value);
                const truncated = truncatedLength(value);
                const isOpen = opened?.rowNumber === firstRowNumber + r && opened.column === column;
                return (
                  <td
                    key={c}
                    data-testid="grid-cell"
                    data-column={column}
                    data-long={long ? "true" : undefined}
                    data-truncated={truncated !== undefined ? "true" : undefined}
                    className={`${styles.cell} ${value === null ? styles.null : ""} ${typeof value === "number" ? styles.number : ""} ${typeof value === "object" && value !== null && truncated === undefined ? styles.blob : ""} ${isOpen ? styles.open : ""}`}
                    onClick={() => onOpen({ column, rowNumber: firstRowNumber + r, rowid: rowids?.[r] ?? null, value })}
                    title={long || json ? "Click to see the full value" : undefined}
                  >
                    <div className={styles.cellInner}>
                      <span className={styles.cellText}>{long ? text.slice(0, TRUNCATE_AT * 4).replaceAll("\n", " ") : text}</span>
                      {(long || json) && (
                        <span className={styles.more}>⤢ {json ? "JSON" : truncated !== undefined ? truncationNote(truncated) : text.length.toLocaleString("en-US")}</span>
                      )}
                    </div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <div className={styles.empty}>No rows match.</div>}
    </div>
  );
}
