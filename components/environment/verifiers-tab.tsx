"use client";

import { useState } from "react";
import { CodeViewer } from "@/components/code/code-viewer";
import { useAnchor } from "@/components/code/use-anchor";
import { useVerifiers } from "@/components/code/use-verifiers";
import type { VerifierEntry } from "@/lib/store/environment-views";
import styles from "@/components/code/verifiers-tab.module.css";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";

interface TaskEntry {
  idx: number;
  /** null: a verifier names a task index the task list does not have. */
  text: string | null;
  verifiers: VerifierEntry[];
}

/** Per task, its verifier code (code or sql mode) in a read-only editor. */
export function VerifiersTab({ name }: { name: string }) {
  const query = useVerifiers(name);
  const [taskParam, setTaskParam] = useAnchor("task");
  const [mode, setMode] = useState<string | null>(null);

  if (query.isPending) return <div className="faint">Loading verifiers…</div>;
  if (query.isError) return <ErrorBox title="Could not load the verifiers" error={query.error} />;

  const { tasks, verifiers } = query.data;
  const entries: TaskEntry[] = tasks.map((text, idx) => ({ idx, text, verifiers: verifiers.filter((v) => v.taskIdx === idx) }));
  const orphanIdx = [...new Set(verifiers.filter((v) => v.taskIdx < 0 || v.taskIdx >= tasks.length).map((v) => v.taskIdx))];
  const orphans: TaskEntry[] = orphanIdx.map((idx) => ({ idx, text: null, verifiers: verifiers.filter((v) => v.taskIdx === idx) }));
  if (entries.length === 0 && orphans.length === 0) return <EmptyState title="No tasks and no verifiers" />;

  const all = [...entries, ...orphans];
  const selected = all.find((entry) => String(entry.idx) === taskParam) ?? all[0]!;
  const verifier = selected.verifiers.find((v) => v.mode === mode) ?? selected.verifiers[0];
  const withoutVerifier = entries.filter((e) => e.verifiers.length === 0).length;

  const item = (entry: TaskEntry) => (
    <li key={entry.idx}>
      <button
        type="button"
        className={`${styles.task} ${entry === selected ? styles.taskActive : ""}`}
        data-task={entry.idx}
        onClick={() => setTaskParam(String(entry.idx))}
      >
        <span className={styles.taskIdx}>#{entry.idx}</span>
        <span className={styles.taskText}>{entry.text ?? entry.verifiers[0]?.task ?? ""}</span>
        <span className={styles.taskBadges}>
          {entry.verifiers.map((v) => (
            <span key={v.key} className="badge badge--info">
              {v.mode}
            </span>
          ))}
          {entry.verifiers.length === 0 && <span className="badge badge--warning">no verifier</span>}
          {entry.text === null && <span className="badge badge--error">no task</span>}
        </span>
      </button>
    </li>
  );

  return (
    <div className={styles.layout} data-testid="verifiers-tab">
      <aside className={styles.sidebar}>
        <div className={styles.sidebarHead}>
          <strong>Tasks</strong>
          <span className="faint">
            {tasks.length} tasks · {verifiers.length} verifiers
          </span>
          {withoutVerifier > 0 && <span className="badge badge--warning">{withoutVerifier} without verifier</span>}
        </div>
        <ul className={styles.list}>{entries.map(item)}</ul>
        {orphans.length > 0 && (
          <>
            <div className={styles.sidebarHead}>
              <strong>Verifiers without a task</strong>
            </div>
            <ul className={styles.list}>{orphans.map(item)}</ul>
          </>
        )}
      </aside>
      <section className={styles.detail} data-testid="verifier-detail" data-task={selected.idx}>
        <div className={styles.taskCard}>
          <div className={styles.taskCardHead}>
            <strong>Task #{selected.idx}</strong>
            {selected.text === null && <span className="badge badge--error">no task with this index in the task list</span>}
            {selected.verifiers.length > 1 && (
              <span className="segmented">
                {selected.verifiers.map((v) => (
                  <button key={v.key} type="button" className={`segmented__item ${v === verifier ? "segmented__item--active" : ""}`} onClick={() => setMode(v.mode)}>
                    {v.mode}
                  </button>
                ))}
              </span>
            )}
            {verifier && (
              <span className="faint">
                mode <strong>{verifier.mode}</strong> · version {verifier.version} ·{" "}
                {verifier.mode === "code" ? "verify_task_completion decides alone" : "verify_task collects evidence for the judge"}
              </span>
            )}
          </div>
          <p className={styles.taskBody}>{selected.text ?? verifier?.task}</p>
          {verifier && selected.text !== null && verifier.task !== selected.text && (
            <p className={styles.taskMismatch}>The verifier record was written for a different task text: “{verifier.task}”</p>
          )}
        </div>
        <div className={styles.editor}>
          {verifier ? (
            <CodeViewer value={verifier.code} language="python" />
          ) : (
            <EmptyState title="No verifier for this task">Neither gen_verifier.pure_code.jsonl nor gen_verifier.jsonl has a record for task {selected.idx}.</EmptyState>
          )}
        </div>
      </section>
    </div>
  );
}
