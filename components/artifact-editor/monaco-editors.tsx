"use client";

import { DiffEditor, Editor, type DiffOnMount } from "@monaco-editor/react";
import type { editor } from "monaco-editor";
import { useEffect, useRef } from "react";
import "@/components/code/monaco-loader";
import type { ArtifactLanguage } from "./artifact-text";
import styles from "./artifact-editor.module.css";

export interface ArtifactMonacoProps {
  mode: "edit" | "diff";
  language: ArtifactLanguage;
  /** The draft; editable in both modes (the right side of the diff). */
  value: string;
  onChange(value: string): void;
  /** The left side of the diff. */
  original: string;
  /** Names the editor models, so each artifact keeps its own undo history. */
  modelPath: string;
}

const OPTIONS: editor.IStandaloneEditorConstructionOptions = {
  fontSize: 12,
  lineHeight: 18,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  automaticLayout: true,
  stickyScroll: { enabled: false },
  tabSize: 2,
};

const loading = <div className={styles.loading}>Loading editor…</div>;

/** Editable Monaco and Monaco's diff editor. Loaded only through ArtifactMonaco's dynamic import. */
export default function MonacoEditors({ mode, language, value, onChange, original, modelPath }: ArtifactMonacoProps) {
  const changeListener = useRef<{ dispose(): void } | null>(null);
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;
  useEffect(() => () => changeListener.current?.dispose(), []);

  // Tasks and scenario descriptions are long one-line strings: wrap JSON, never code.
  const options = { ...OPTIONS, wordWrap: language === "json" ? ("on" as const) : ("off" as const) };
  if (mode === "edit") {
    return <Editor path={modelPath} value={value} language={language} height="100%" loading={loading} options={options} onChange={(text) => onChange(text ?? "")} />;
  }
  const onMount: DiffOnMount = (diff) => {
    const modified = diff.getModifiedEditor();
    changeListener.current?.dispose();
    changeListener.current = modified.onDidChangeModelContent(() => latestOnChange.current(modified.getValue()));
  };
  return (
    <DiffEditor
      original={original}
      modified={value}
      language={language}
      originalModelPath={`${modelPath}.before`}
      modifiedModelPath={`${modelPath}.draft`}
      // Disposing the models while the diff widget still holds them throws in Monaco; keep them (they are reused by path).
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      height="100%"
      loading={loading}
      onMount={onMount}
      options={{ ...options, originalEditable: false, renderSideBySide: true, useInlineViewWhenSpaceIsLimited: false, diffWordWrap: options.wordWrap, renderOverviewRuler: false }}
    />
  );
}
