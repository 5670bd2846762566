"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import type { LlmCallSummary } from "@/lib/llm/calls";
import { llmCallKeys } from "@/components/query-keys";
import styles from "./llm-calls.module.css";
import { formatWhen } from "@/components/ui/date-time";
import { LlmCallUseLink, keyOfUse } from "./llm-call-use";
import { useUrlFilters } from "@/components/ui/use-url-filters";

const EMPTY_FILTERS = { stage: "", failed: "" };

export function LlmCallsPage() {
  const [filters, setFilters] = useUrlFilters(EMPTY_FILTERS);
  const set = (key: keyof typeof EMPTY_FILTERS) => (event: { target: { value: string } }) => setFilters({ ...filters, [key]: event.target.value });
  const query = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== ""));
  const calls = useQuery({
    queryKey: llmCallKeys.list(query),
    queryFn: () => fetchJson<LlmCallSummary[]>(`/api/llm-calls?${new URLSearchParams(query)}`),
  });
  const stages = useQuery({ queryKey: llmCallKeys.stages(), queryFn: () => fetchJson<{ stage: string; calls: number }[]>("/api/llm-calls/stages") });
  const filtered = Object.keys(query).length > 0;
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1>LLM calls</h1>
          <div className="page__subtitle">Every request the studio sent to a model: what went out, what came back, tokens and time.</div>
        </div>
      </div>
      <div className={styles.toolbar}>
        <select className="input" value={filters.stage} onChange={set("stage")} aria-label="Stage" data-testid="llm-calls-stage">
          <option value="">All stages</option>
          {(stages.data ?? []).map(({ stage, calls: count }) => (
            <option key={stage} value={stage}>
              {stage} ({count.toLocaleString("en-US")})
            </option>
          ))}
          {filters.stage && !stages.data?.some(({ stage }) => stage === filters.stage) && <option value={filters.stage}>{filters.stage}</option>}
        </select>
        <select className="input" value={filters.failed} onChange={set("failed")} aria-label="Outcome" data-testid="llm-calls-outcome">
          <option value="">All outcomes</option>
          <option value="false">Succeeded</option>
          <option value="true">Failed</option>
        </select>
        {filtered && (
          <button type="button" className="button" onClick={() => setFilters(EMPTY_FILTERS)}>
            Clear filters
          </button>
        )}
      </div>
      {calls.isError && <ErrorBox title="Cannot load the LLM calls" error={calls.error} />}
      {calls.data?.length === 0 &&
        (filtered ? (
          <EmptyState title="No LLM calls match these filters">Clear the filters to see every call.</EmptyState>
        ) : (
          <EmptyState title="No LLM calls yet">Calls appear here once the judge, the agent or the generator talks to a model (Settings → Test connection makes one).</EmptyState>
        ))}
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
                        <span key={keyOfUse(use)}>
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
