"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { EnvironmentPageData, TaskSummary, VerifierSummary } from "@/lib/store/environment-views";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { TASK_STATUSES, type TaskStatus, type TaskStatusEntry } from "@/lib/curation/status-rules";
import { environmentHref } from "./tab-bar";
import { TaskStatusBadge, TaskStatusDetails, useTaskStatuses } from "./task-status";
import styles from "./tasks-tab.module.css";

function VerifierCode({ verifier }: { verifier: VerifierSummary }) {
  return (
    <details className={styles.code}>
      <summary>
        {verifier.mode} verifier code (v{verifier.version})
      </summary>
      <pre className="code-block">{verifier.code}</pre>
    </details>
  );
}

function TaskItem({ name, task, highlighted, status }: { name: string; task: TaskSummary; highlighted: boolean; status: TaskStatusEntry | undefined }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: "center" });
  }, [highlighted]);
  return (
    <li ref={ref} className={`${styles.task}${highlighted ? ` ${styles.taskHighlight}` : ""}`} data-testid="task" data-task-idx={task.idx}>
      <span className={styles.index}>#{task.idx}</span>
      <div>
        <p className={styles.text}>{task.text}</p>
        <div className={styles.meta}>
          {status && <TaskStatusBadge status={status.status} />}
          {task.verifiers.length === 0 ? (
            <Badge tone="error" testId="verifier-missing">
              no verifier
            </Badge>
          ) : (
            task.verifiers.map((verifier) => (
              <Badge key={verifier.key} tone="ok" testId="verifier-present">
                {verifier.mode} verifier
              </Badge>
            ))
          )}
          <Link href={environmentHref(name, { tab: "verifiers", taskIdx: task.idx })} data-testid="task-verifier-link">
            Open in Verifiers →
          </Link>
          {/* No prefetch: opening a playtest starts a sandboxed instance. */}
          <Link
            href={`/playtest/new?env=${encodeURIComponent(name)}&task=${task.idx}`}
            prefetch={false}
            className="button button--small"
            data-testid="task-playtest-link"
          >
            Playtest
          </Link>
          <Link href={`/agent-runs/new?env=${encodeURIComponent(name)}&task=${task.idx}`} prefetch={false} className="button button--small" data-testid="task-run-agent-link">
            Run agent
          </Link>
        </div>
        {status && <TaskStatusDetails name={name} entry={status} />}
        {task.verifiers.map((verifier) => (
          <VerifierCode key={verifier.key} verifier={verifier} />
        ))}
      </div>
    </li>
  );
}

export function TasksTab({ env }: { env: EnvironmentPageData }) {
  const anchor = useSearchParams().get("task");
  const highlighted = anchor === null ? undefined : Number(anchor);
  const statuses = useTaskStatuses(env.name).data?.tasks;
  const [shown, setShown] = useState<TaskStatus | "all">("all");
  const statusOf = (idx: number) => statuses?.find((entry) => entry.taskIdx === idx);
  const tasks = shown === "all" ? env.tasks : env.tasks.filter((task) => statusOf(task.idx)?.status === shown);
  if (env.tasks.length === 0) return <EmptyState title="No tasks">This environment has no gen_tasks.jsonl record.</EmptyState>;
  return (
    <div className="stack" data-testid="tasks-tab">
      <select className="input" value={shown} onChange={(event) => setShown(event.target.value as TaskStatus | "all")} aria-label="Show tasks with status" style={{ width: "auto", alignSelf: "flex-start" }} data-testid="tasks-status-filter">
        <option value="all">All statuses</option>
        {TASK_STATUSES.map((status) => (
          <option key={status} value={status}>
            {status}
          </option>
        ))}
      </select>
      <section className="card">
        <ol className={styles.list}>
          {tasks.map((task) => (
            <TaskItem key={task.idx} name={env.name} task={task} highlighted={task.idx === highlighted} status={statusOf(task.idx)} />
          ))}
        </ol>
      </section>
      {env.unmatchedVerifiers.length > 0 && (
        <section className="card" data-testid="unmatched-verifiers">
          <header className="card__header">
            <h3>Verifiers without a task</h3>
            <span className="muted">their task_idx names no task in the current task list</span>
          </header>
          <div className="card__body">
            {env.unmatchedVerifiers.map((verifier) => (
              <div key={verifier.key}>
                <span className="mono">task_idx {verifier.taskIdx}</span> <Badge tone="warning">{verifier.mode}</Badge>
                <VerifierCode verifier={verifier} />
              </div>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
