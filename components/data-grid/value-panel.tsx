"use client";

import { cellText, prettyJson } from "./cell-value";
import type { OpenedCell } from "./data-grid";
import styles from "./data-grid.module.css";

/** The full value of one cell, JSON pretty-printed when it parses. */
export function ValuePanel({ cell, onClose }: { cell: OpenedCell; onClose: () => void }) {
  const json = prettyJson(cell.value);
  const text = json ?? cellText(cell.value);
  return (
    <aside className={styles.panel} data-testid="value-panel" aria-label={`Value of ${cell.column}`}>
      <header className={styles.panelHead}>
        <div>
          <strong className="mono">{cell.column}</strong>
          <div className="faint">
            row {cell.rowNumber} · {cell.value === null ? "NULL" : typeof cell.value === "object" ? "BLOB" : json ? "JSON" : typeof cell.value}
            {typeof cell.value === "string" && ` · ${cell.value.length.toLocaleString("en-US")} chars`}
          </div>
        </div>
        <span className={styles.panelActions}>
          <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(text)}>
            Copy
          </button>
          <button type="button" className="button" onClick={onClose} aria-label="Close value panel">
            ✕
          </button>
        </span>
      </header>
      <pre className={`${styles.panelValue} ${cell.value === null ? styles.null : ""}`} data-testid="value-panel-text">
        {text}
      </pre>
    </aside>
  );
}
