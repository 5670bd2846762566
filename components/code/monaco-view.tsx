"use client";

import Editor, { type Monaco, type OnMount } from "@monaco-editor/react";
import type { editor } from "monaco-editor";
import { useEffect, useRef } from "react";
import styles from "./code-viewer.module.css";
import "./monaco-loader";

export interface CodeViewerProps {
  value: string;
  language: "python" | "sql" | "json";
  /** Line to scroll to and highlight (1-based); pass a new object to reveal the same line again. */
  target?: { line: number; endLine?: number } | null;
}

/** Short code (a verifier) reads better without a minimap covering its long lines. */
const MINIMAP_FROM_LINES = 150;

/** Read-only Monaco. Loaded only through CodeViewer's dynamic import. */
export default function MonacoView({ value, language, target }: CodeViewerProps) {
  const editorRef = useRef<editor.IStandaloneCodeEditor | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const highlight = useRef<editor.IEditorDecorationsCollection | null>(null);

  const reveal = () => {
    const instance = editorRef.current;
    const monaco = monacoRef.current;
    if (!instance || !monaco) return;
    if (!target) {
      highlight.current?.clear();
      return;
    }
    const endLine = target.endLine ?? target.line;
    instance.revealLinesInCenter(target.line, endLine);
    instance.setPosition({ lineNumber: target.line, column: 1 });
    const range = new monaco.Range(target.line, 1, endLine, 1);
    const decoration = { range, options: { isWholeLine: true, className: styles.highlightLine, linesDecorationsClassName: styles.highlightGutter } };
    if (highlight.current) highlight.current.set([decoration]);
    else highlight.current = instance.createDecorationsCollection([decoration]);
  };

  const onMount: OnMount = (instance, monaco) => {
    editorRef.current = instance;
    monacoRef.current = monaco;
    reveal();
  };

  // A new target object (even for the same line) reveals again.
  useEffect(reveal, [target, value]);

  return (
    <Editor
      value={value}
      language={language}
      onMount={onMount}
      height="100%"
      loading={<div className={styles.loading}>Loading editor…</div>}
      options={{
        readOnly: true,
        domReadOnly: true,
        fontSize: 12,
        lineHeight: 18,
        minimap: { enabled: value.split("\n").length > MINIMAP_FROM_LINES },
        scrollBeyondLastLine: false,
        automaticLayout: true,
        renderWhitespace: "none",
        wordWrap: "off",
        stickyScroll: { enabled: false },
      }}
    />
  );
}
