"use client";

import dynamic from "next/dynamic";
import styles from "./code-viewer.module.css";
import type { CodeViewerProps } from "./monaco-view";

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
