"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { recordedLive } from "@/lib/trajectories/sources";
import Link from "next/link";
import { useState } from "react";
import type { TaskMarkInput } from "@/lib/curation/marks";
import { TASK_STATUSES, type EnvironmentTaskStatuses, type TaskEvidence, type TaskStatus, type TaskStatusEntry } from "@/lib/curation/status-rules";
import { envKeys } from "@/components/query-keys";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { fetchJson } from "@/components/ui/fetch-json";
import styles from "./tasks-tab.module.css";

const TONE: Record<TaskStatus, BadgeTone> = {
  curated: "ok",
  unsolvable: "error",
  "reward-hackable": "error",
  "too-easy": "warning",
  "too-hard": "warning",
  unverified: "neutral",
};

function statusUrl(name: string): string {
  return `/api/environments/${encodeURIComponent(name)}/task-status`;
}

export function useTaskStatuses(name: string) {
  return useQuery({ queryKey: envKeys.taskStatus(name), queryFn: () => fetchJson<EnvironmentTaskStatuses>(statusUrl(name)) });
}

function useMarkTask(name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mark: TaskMarkInput & { taskIdx: number }) => fetchJson<unknown>(statusUrl(name), { method: "POST", body: JSON.stringify(mark) }),
    onSuccess: () => client.invalidateQueries({ queryKey: envKeys.taskStatus(name) }),
  });
}

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  return (
    <Badge tone={TONE[status]} dot testId="task-status">
      {status}
    </Badge>
  );
}

/** The Overview's glance: how many tasks have each status. */
export function TaskStatusSummary({ name }: { name: string }) {
  const { data, error } = useTaskStatuses(name);
  if (error) return <p className="faint">Task statuses could not load: {error.message}</p>;
  if (!data) return <p className="faint">Loading task statuses…</p>;
  const counts = TASK_STATUSES.map((status) => [status, data.tasks.filter((task) => task.status === status).length] as const).filter(([, count]) => count > 0);
  return (
    <div className={styles.meta} data-testid="task-status-summary">
      {counts.length === 0 ? <span className="faint">No tasks.</span> : counts.map(([status, count]) => (
        <span key={status} data-testid={`task-status-count-${status}`}>
          <TaskStatusBadge status={status} /> {count}
        </span>
      ))}
    </div>
  );
}

function EvidenceItem({ name, taskIdx, item }: { name: string; taskIdx: number; item: TaskEvidence }) {
  const mark = useMarkTask(name);
  const trajectoryId = item.kind === "run" || item.kind === "server-error" || item.kind === "issue" ? item.trajectoryId : null;
  return (
    <li className={item.stale ? "faint" : undefined} data-testid="task-evidence">
      {item.stale && <Badge tone="warning">stale</Badge>} {item.summary}
      {trajectoryId && (
        <>
          {" "}
          <Link href={`/trajectories/${encodeURIComponent(trajectoryId)}`}>open run →</Link>
        </>
      )}
      {item.kind === "rollout-group" && (
        <>
          {" "}
          <Link href={`/rollouts/${encodeURIComponent(item.jobId)}`}>open results →</Link>
        </>
      )}
      {/* Only a run no verifier judged needs a person's word: a passing one is a reference already, a failed one cannot be. */}
      {item.kind === "run" && recordedLive(item.source) && item.reward === null && !item.stale && (
        <button type="button" className="button button--small" disabled={mark.isPending} onClick={() => mark.mutate({ taskIdx, kind: "reference", trajectoryId: item.trajectoryId })}>
          Mark as reference
        </button>
      )}
    </li>
  );
}

/** A task's status with its reason, the evidence it rests on, and a person's marks. */
export function TaskStatusDetails({ name, entry }: { name: string; entry: TaskStatusEntry }) {
  const mark = useMarkTask(name);
  const [note, setNote] = useState("");
  const marked = entry.evidence.some((item) => item.kind === "mark" && !item.stale);
  return (
    <details className={styles.code} data-testid="task-status-details">
      <summary>
        {/* The task's row already shows its status badge: this line says why, and opens the evidence. */}
        Why {entry.status}: {entry.reason}
      </summary>
      <ul>
        {entry.evidence.map((item, index) => (
          <EvidenceItem key={index} name={name} taskIdx={entry.taskIdx} item={item} />
        ))}
      </ul>
      <form
        className={styles.meta}
        onSubmit={(event) => {
          event.preventDefault();
          mark.mutate({ taskIdx: entry.taskIdx, kind: "unsolvable", note }, { onSuccess: () => setNote("") });
        }}
      >
        <input value={note} onChange={(event) => setNote(event.target.value)} placeholder="Why no run can pass" aria-label="Why the task is unsolvable" data-testid="unsolvable-note" />
        <button type="submit" className="button button--small" disabled={mark.isPending || !note.trim()}>
          Mark unsolvable
        </button>
        {marked && (
          <button type="button" className="button button--small" disabled={mark.isPending} onClick={() => mark.mutate({ taskIdx: entry.taskIdx, kind: "cleared" })}>
            Clear mark
          </button>
        )}
        {mark.error && <span className="error-box">{mark.error.message}</span>}
      </form>
    </details>
  );
}
