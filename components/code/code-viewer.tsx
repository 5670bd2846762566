"use client";

import dynamic from "next/dynamic";
import styles from "./code-viewer.module.css";

export interface CodeViewerProps {
  value: string;
  language: "python" | "sql" | "json";
  /** Line to scroll to and highlight (1-based); pass a new object to reveal the same line again. */
  target?: { line: number; endLine?: number } | null;
}

const MonacoView = dynamic(() => import("./monaco-view"), {
  ssr: false,
  loading: () => <div className={styles.loading}>Loading editor…</div>,
});

/** The one read-only code viewer of the studio (Code and Verifiers tabs). Fills its parent's height. */
export function CodeViewer(props: CodeViewerProps) {
  return (
    <div className={styles.viewer} data-testid="code-viewer">
      <MonacoView {...props} />
    </div>
  );
}
