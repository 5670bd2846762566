"use client";

import { useQuery } from "@tanstack/react-query";
import type { ImportRunSummary } from "@/lib/library/import-runs";
import { importKeys } from "@/components/query-keys";
import { fetchJson } from "@/components/ui/fetch-json";
import issueStyles from "@/components/ui/issue-list.module.css";
import { formatWhen } from "@/components/ui/date-time";

/** Imports whose process died before they finished: their new environments stay hidden until resumed. */
export function InterruptedImports({ running, onResume }: { running: boolean; onResume: (run: ImportRunSummary) => void }) {
  const runs = useQuery({ queryKey: importKeys.runs(), queryFn: () => fetchJson<ImportRunSummary[]>("/api/imports") });
  const interrupted = (runs.data ?? []).filter((run) => run.status === "interrupted");
  if (interrupted.length === 0) return null;
  return (
    <section className="card" data-testid="interrupted-imports">
      <header className="card__header">
        <h3>Interrupted imports</h3>
      </header>
      <ul className={issueStyles.list}>
        {interrupted.map((run) => (
          <li key={run.id} className={`${issueStyles.issue} ${issueStyles.plain}`} data-testid="interrupted-import" data-run={run.id}>
            <span className={issueStyles.where}>{run.folder}</span>
            <span className="muted">
              stopped after {run.done} of {run.total ?? "?"} environments · started {formatWhen(run.startedAt)}
            </span>
            <button className="button" disabled={running} onClick={() => onResume(run)} data-testid="import-resume">
              Resume
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
