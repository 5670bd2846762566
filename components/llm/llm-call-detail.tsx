"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import type { LlmCallDetail } from "@/lib/llm/calls";
import { llmCallKeys } from "@/components/query-keys";
import styles from "./llm-calls.module.css";
import { formatWhen } from "@/components/ui/date-time";
import { LlmCallUseLink, keyOfUse } from "./llm-call-use";

interface SentRequest {
  retry?: number;
  role?: string;
  timeoutMs?: number;
  body?: { messages?: { role: string; content: string }[]; metadata?: Record<string, string> };
}

interface Completion {
  choices?: { message?: { content?: string | null } }[];
}

export function LlmCallDetailPage({ id }: { id: string }) {
  const call = useQuery({ queryKey: llmCallKeys.detail(id), queryFn: () => fetchJson<LlmCallDetail>(`/api/llm-calls/${encodeURIComponent(id)}`) });
  if (call.isError) return <div className="page"><ErrorBox title="Cannot load the LLM call" error={call.error} /></div>;
  if (!call.data) return <div className="page"><div className="skeleton" style={{ width: 320 }} /></div>;
  const data = call.data;
  const request = (typeof data.request === "object" ? data.request : {}) as SentRequest;
  const reply = typeof data.response === "object" && data.response !== null ? (data.response as Completion).choices?.[0]?.message?.content : undefined;
  const facts: [string, string][] = [
    ["Stage", data.stage],
    ["Scenario", data.scenario || "—"],
    ["Attempt", String(data.attempt)],
    ["HTTP try", String((request.retry ?? 0) + 1)],
    ["Model", data.model],
    ["Endpoint", data.baseUrl],
    ["Tokens in / out", `${data.promptTokens} / ${data.completionTokens}`],
    ["Latency", `${data.latencyMs} ms`],
    ["When", formatWhen(data.createdAt, { seconds: true })],
  ];
  return (
    <div className="page" data-testid="llm-call-detail">
      <div className="page__header">
        <div>
          <h1>
            LLM call <span className="mono faint">{data.id}</span>
          </h1>
          <div className="page__subtitle">
            <Link href="/llm-calls">All calls</Link> · {data.error ? <Badge tone="error">failed</Badge> : <Badge tone="ok">ok</Badge>}
            {data.usedBy.map((use) => (
              <span key={keyOfUse(use)}>
                {" · for "}
                <LlmCallUseLink use={use} />
              </span>
            ))}
          </div>
        </div>
      </div>
      <div className={styles.facts}>
        {facts.map(([label, value]) => (
          <div key={label} className={styles.fact}>
            <div className={styles.factLabel}>{label}</div>
            <div className={styles.factValue} title={value}>
              {value}
            </div>
          </div>
        ))}
      </div>
      {data.error && <ErrorBox title="Error" error={data.error} />}
      <section className="card">
        <header className="card__header">
          <h2>Messages sent</h2>
        </header>
        {(request.body?.messages ?? []).map((message, index) => (
          <div key={index} className={styles.message}>
            <div className={styles.messageRole}>{message.role}</div>
            <pre className={styles.pre}>{message.content}</pre>
          </div>
        ))}
      </section>
      {reply !== undefined && (
        <section className="card">
          <header className="card__header">
            <h2>Reply</h2>
          </header>
          <div className={styles.message}>
            <pre className={styles.pre} data-testid="llm-call-reply">
              {reply ?? "(empty)"}
            </pre>
          </div>
        </section>
      )}
      <details className="card">
        <summary className="card__header">Raw request and response JSON</summary>
        <div className="card__body">
          <pre className={styles.pre}>{JSON.stringify(data.request, null, 2)}</pre>
          <pre className={styles.pre}>{typeof data.response === "string" ? data.response || "(no response)" : JSON.stringify(data.response, null, 2)}</pre>
        </div>
      </details>
    </div>
  );
}
