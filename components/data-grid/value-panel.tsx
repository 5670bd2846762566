"use client";

import { useState } from "react";
import { cellText, prettyJson, truncatedLength, truncationNote } from "./cell-value";
import type { OpenedCell } from "./data-grid";
import styles from "./data-grid.module.css";
import { useFullCell } from "./use-full-cell";

/**
 * The value of one cell, JSON pretty-printed when it parses. A cell the server truncated says so and
 * loads its full value on demand (itself capped by the server, which says when it is).
 */
export function ValuePanel({ cell, source, onClose }: { cell: OpenedCell; source: { name: string; table: string }; onClose: () => void }) {
  const [wantFull, setWantFull] = useState(false);
  const truncated = truncatedLength(cell.value);
  const fetchable = truncated !== undefined && cell.rowid !== null;
  const full = useFullCell(fetchable ? { ...source, rowid: cell.rowid!, column: cell.column } : undefined, wantFull);
  const fullText = typeof full.data?.value === "string" ? full.data.value : undefined;
  const json = prettyJson(fullText ?? cell.value);
  const text = json ?? fullText ?? cellText(cell.value);
  return (
    <aside className={styles.panel} data-testid="value-panel" aria-label={`Value of ${cell.column}`}>
      <header className={styles.panelHead}>
        <div>
          <strong className="mono">{cell.column}</strong>
          <div className="faint">
            row {cell.rowNumber} · {cell.value === null ? "NULL" : truncated !== undefined ? "text" : typeof cell.value === "object" ? "BLOB" : json ? "JSON" : typeof cell.value}
            {typeof cell.value === "string" && ` · ${cell.value.length.toLocaleString("en-US")} chars`}
            {truncated !== undefined && <span data-testid="value-panel-truncated">{` · ${full.data ? fullNote(full.data.length ?? truncated, full.data.truncated, full.data.cap) : truncationNote(truncated)}`}</span>}
          </div>
        </div>
        <span className={styles.panelActions}>
          {fetchable && !full.data && (
            <button type="button" className="button" disabled={full.isFetching} onClick={() => setWantFull(true)} data-testid="value-panel-load-full">
              {full.isFetching ? "Loading…" : "Load full value"}
            </button>
          )}
          <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(text)}>
            Copy
          </button>
          <button type="button" className="button" onClick={onClose} aria-label="Close value panel">
            ✕
          </button>
        </span>
      </header>
      {full.isError && <div className="faint">Could not load the full value: {full.error.message}</div>}
      <pre className={`${styles.panelValue} ${cell.value === null ? styles.null : ""}`} data-testid="value-panel-text">
        {text}
      </pre>
    </aside>
  );
}

function fullNote(length: number, stillTruncated: boolean, cap: number): string {
  return stillTruncated ? `first ${cap.toLocaleString("en-US")} of ${length.toLocaleString("en-US")} chars (the most one cell is sent)` : `${length.toLocaleString("en-US")} chars`;
}
