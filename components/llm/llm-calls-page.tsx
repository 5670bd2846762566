"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import type { LlmCallSummary } from "@/lib/llm/calls";
import { llmCallKeys } from "@/components/query-keys";
import styles from "./llm-calls.module.css";
import { formatWhen } from "@/components/ui/date-time";
import { LlmCallUseLink } from "./llm-call-use";

export function LlmCallsPage() {
  const [stage, setStage] = useState("");
  const [failed, setFailed] = useState("");
  const filters = { ...(stage ? { stage } : {}), ...(failed ? { failed } : {}) };
  const calls = useQuery({
    queryKey: llmCallKeys.list(filters),
    queryFn: () => fetchJson<LlmCallSummary[]>(`/api/llm-calls?${new URLSearchParams(filters)}`),
  });
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1>LLM calls</h1>
          <div className="page__subtitle">Every request the studio sent to a model: what went out, what came back, tokens and time.</div>
        </div>
      </div>
      <div className={styles.toolbar}>
        <input className="input" placeholder="Stage (judge, settings-test, …)" value={stage} onChange={(event) => setStage(event.target.value.trim())} data-testid="llm-calls-stage" />
        <select className="input" value={failed} onChange={(event) => setFailed(event.target.value)} aria-label="Outcome" data-testid="llm-calls-outcome">
          <option value="">All outcomes</option>
          <option value="false">Succeeded</option>
          <option value="true">Failed</option>
        </select>
      </div>
      {calls.isError && <ErrorBox title="Cannot load the LLM calls" error={calls.error} />}
      {calls.data?.length === 0 && (
        <EmptyState title="No LLM calls yet">Calls appear here once the judge, the agent or the generator talks to a model (Settings → Test connection makes one).</EmptyState>
      )}
      {calls.data && calls.data.length > 0 && (
        <table className={styles.table} data-testid="llm-calls-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Stage</th>
              <th>Scenario</th>
              <th>For</th>
              <th>Model</th>
              <th className={styles.num}>Attempt</th>
              <th className={styles.num}>Tokens in / out</th>
              <th className={styles.num}>Latency</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {calls.data.map((call) => (
              <tr key={call.id} data-testid="llm-call-row">
                <td>
                  <Link href={`/llm-calls/${call.id}`}>{formatWhen(call.createdAt, { seconds: true })}</Link>
                </td>
                <td className="mono">{call.stage}</td>
                <td className="mono">{call.scenario || "—"}</td>
                <td>
                  {call.usedBy.length === 0
                    ? "—"
                    : call.usedBy.map((use, index) => (
                        <span key={`${use.trajectoryId}-${use.ordinal}`}>
                          {index > 0 && ", "}
                          <LlmCallUseLink use={use} />
                        </span>
                      ))}
                </td>
                <td className="mono">{call.model}</td>
                <td className={styles.num}>{call.attempt}</td>
                <td className={styles.num}>
                  {call.promptTokens.toLocaleString("en-US")} / {call.completionTokens.toLocaleString("en-US")}
                </td>
                <td className={styles.num}>{call.latencyMs.toLocaleString("en-US")} ms</td>
                <td className={call.error ? styles.error : undefined} title={call.error || undefined}>
                  {call.error ? <Badge tone="error">failed</Badge> : <Badge tone="ok">ok</Badge>} {call.error}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
