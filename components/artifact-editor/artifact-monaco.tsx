"use client";

import dynamic from "next/dynamic";
import type { ArtifactMonacoProps } from "./monaco-editors";
import styles from "./artifact-editor.module.css";

const MonacoEditors = dynamic(() => import("./monaco-editors"), {
  ssr: false,
  loading: () => <div className={styles.loading}>Loading editor…</div>,
});

/** Editable Monaco (or its diff editor) for one artifact. Fills its parent's height. */
export function ArtifactMonaco(props: ArtifactMonacoProps) {
  return (
    <div className={styles.monaco} data-testid={props.mode === "diff" ? "artifact-diff" : "artifact-monaco"}>
      <MonacoEditors {...props} />
    </div>
  );
}
