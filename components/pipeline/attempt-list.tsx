"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { llmCallKeys } from "@/components/query-keys";
import { Badge } from "@/components/ui/badge";
import { ErrorBox } from "@/components/ui/error-box";
import { fetchJson } from "@/components/ui/fetch-json";
import type { LlmCallDetail } from "@/lib/llm/calls";
import type { AttemptView, RunView } from "@/lib/pipeline/stage-state";
import styles from "./pipeline.module.css";

interface SentMessages {
  body?: { messages?: { role: string; content: string }[] };
}

/** The prompt and answer live on the recorded LLM call; loaded only when an attempt is opened. */
function useAttemptCall(llmCallId: string) {
  return useQuery({
    queryKey: llmCallKeys.detail(llmCallId),
    queryFn: () => fetchJson<LlmCallDetail>(`/api/llm-calls/${encodeURIComponent(llmCallId)}`),
    staleTime: Infinity,
  });
}

/** The model's words; a JSON answer is shown pretty-printed. */
function answerOf(call: LlmCallDetail): string {
  const response = call.response as { choices?: { message?: { content?: string | null } }[] } | "";
  const text = (response === "" ? "" : response.choices?.[0]?.message?.content) || call.error || "(empty answer)";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function AttemptCall({ llmCallId }: { llmCallId: string }) {
  const call = useAttemptCall(llmCallId);
  if (call.isError) return <ErrorBox title="Could not load the LLM call" error={call.error} />;
  if (!call.data) return <div className="faint">Loading the prompt and answer…</div>;
  const messages = (call.data.request as SentMessages).body?.messages ?? [];
  return (
    <>
      <details className={styles.prompt}>
        <summary>Prompt ({messages.length} messages)</summary>
        {messages.map((message, index) => (
          <div key={index} className={styles.message}>
            <div className={styles.messageRole}>{message.role}</div>
            <pre className={styles.pre}>{message.content}</pre>
          </div>
        ))}
      </details>
      <div className={styles.messageRole}>{call.data.error ? "The call failed" : "Answer"}</div>
      <pre className={styles.pre} data-testid="attempt-answer">
        {answerOf(call.data)}
      </pre>
    </>
  );
}

function AttemptRow({ attempt, initiallyOpen }: { attempt: AttemptView; initiallyOpen: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <li className={styles.attempt} data-testid={`attempt-${attempt.attempt}`}>
      <div className={styles.attemptHead}>
        <button type="button" className={styles.disclosure} onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? "▾" : "▸"} Attempt {attempt.attempt}
        </button>
        <Badge tone={attempt.passed ? "ok" : "error"}>{attempt.passed ? "check passed" : attempt.modelFailed ? "model call failed" : "check failed"}</Badge>
        {attempt.warnings.length > 0 && (
          <Badge tone="warning">
            {attempt.warnings.length} warning{attempt.warnings.length === 1 ? "" : "s"}
          </Badge>
        )}
        <span className="faint num">
          {attempt.promptTokens.toLocaleString("en-US")} in / {attempt.completionTokens.toLocaleString("en-US")} out · {(attempt.latencyMs / 1000).toFixed(1)} s
        </span>
        {attempt.llmCallId && (
          <Link href={`/llm-calls/${attempt.llmCallId}`} className={styles.callLink}>
            LLM call →
          </Link>
        )}
      </div>
      {attempt.errors.length > 0 && (
        <ul className={styles.attemptErrors}>
          {attempt.errors.map((error, index) => (
            <li key={index} className="mono">
              {error}
            </li>
          ))}
        </ul>
      )}
      {attempt.warnings.length > 0 && (
        <ul className={`${styles.attemptErrors} ${styles.attemptWarnings}`} data-testid="attempt-warnings">
          {attempt.warnings.map((warning, index) => (
            <li key={index} className="mono">
              {warning}
            </li>
          ))}
        </ul>
      )}
      {attempt.feedback && attempt.feedback !== attempt.errors.join("\n") && (
        <div className={styles.feedback}>
          <span className="faint">Fed back to the next attempt:</span> {attempt.feedback}
        </div>
      )}
      {open && attempt.llmCallId && <AttemptCall llmCallId={attempt.llmCallId} />}
    </li>
  );
}

/** The latest run's attempts, per artifact (one run, or one per verifier). The last attempt of a single run starts open. */
export function AttemptList({ runs }: { runs: RunView[] }) {
  return (
    <div className={styles.runs} data-testid="attempt-list">
      {runs.map((run) => (
        <div key={run.stageRunId} className={styles.run}>
          {runs.length > 1 && (
            <div className={styles.runHead}>
              <span className="mono">{run.key}</span> <Badge tone={run.status === "passed" ? "ok" : run.status === "failed" ? "error" : "info"}>{run.status}</Badge>
            </div>
          )}
          <ol className={styles.attempts}>
            {run.attempts.map((attempt, index) => (
              <AttemptRow key={attempt.attempt} attempt={attempt} initiallyOpen={runs.length === 1 && index === run.attempts.length - 1} />
            ))}
            {run.status === "running" && <li className={`${styles.attempt} faint`}>Waiting for attempt {run.attempts.length + 1}…</li>}
          </ol>
        </div>
      ))}
    </div>
  );
}
