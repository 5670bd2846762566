"use client";

import { DiffScopeToggle, type DiffScope } from "@/components/diff/diff-scope-toggle";
import type { UseQueryResult } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { stringifyExactJson } from "@/lib/json/exact-json";
import { splitTraceback } from "@/lib/runtime/environment-traceback";
import { stepNumber, stepStatus } from "@/lib/trajectories/step-label";
import type { StepOutline, StepView } from "@/lib/trajectories/store";
import { DbDiffView } from "@/components/diff/db-diff-view";
import { Badge } from "@/components/ui/badge";
import { ErrorBox } from "@/components/ui/error-box";
import { LongText } from "@/components/ui/long-text";
import { TracebackBlock } from "@/components/ui/traceback-block";
import { MalformedBadge } from "./trajectory-badges";
import { stepTitle } from "./step-timeline";
import styles from "./trajectory.module.css";


/**
 * Everything about one step: the assistant's text, the call and its arguments, the result, and the
 * database change (`diffs`: the step loaded with its diffs, which the outline leaves out).
 */
export function StepDetail({ step, diffs }: { step: StepOutline; diffs: Pick<UseQueryResult<StepView>, "data" | "error"> }) {
  const [scope, setScope] = useState<DiffScope>("step");
  const diff = diffs.data && (scope === "step" ? diffs.data.diff : diffs.data.cumulativeDiff);
  return (
    <div className={styles.detail} data-testid="step-detail" data-ordinal={step.ordinal}>
      <div className={styles.headerLine}>
        <h2>
          Step {stepNumber(step.ordinal)}: {stepTitle(step)}
        </h2>
        <span className="faint">{step.role}</span>
        {step.toolResponse !== null && (
          <span data-testid="response-status">
            <Badge tone={stepStatus(step).tone}>{stepStatus(step).label}</Badge>
          </span>
        )}
        {step.malformed && <MalformedBadge />}
        {step.durationMs !== null && <span className="faint">{step.durationMs} ms</span>}
        {step.skipped && <Badge tone="neutral">skipped</Badge>}
        {step.llmCallId && <ModelCall step={step} />}
      </div>
      {step.content && (
        <div>
          <div className={styles.label}>{step.role === "assistant" ? (step.isFinal ? "Final answer" : step.llmCallId ? "Model text" : "Assistant") : step.role}</div>
          <pre className={styles.block} data-testid="step-content">{step.content}</pre>
        </div>
      )}
      {(step.toolName || step.malformed) && (
        <div>
          <div className={styles.label}>
            {step.llmCallId || step.skipped ? "Parsed call" : "Tool call"} {step.toolName && <span className="mono">{step.toolName}</span>} {step.toolCallId && <span className="faint">({step.toolCallId})</span>}
          </div>
          <pre className={`${styles.block}${step.malformed ? ` ${styles.blockError}` : ""}`}>
            <LongText text={prettyArguments(step.toolArguments)} testId="step-arguments" />
          </pre>
          {step.malformed && <div className="muted">This call could not be run as the model wrote it (why is below: it did not parse, names no tool, or its arguments break the tool&apos;s schema). Under AWM&apos;s training policy (an agent run&apos;s &quot;end&quot; policy) the episode ends here, a format error with reward −1.0; under &quot;feedback&quot; the model reads why and goes on.</div>}
        </div>
      )}
      {step.toolResponse !== null && <ToolResult text={step.toolResponse} isError={step.isError} />}
      <div>
        <div className={styles.diffTabs}>
          <div className={styles.label}>Database</div>
          <DiffScopeToggle scope={scope} onChange={setScope} />
        </div>
        {diffs.error ? (
          <ErrorBox title={`Could not load the database change of step ${stepNumber(step.ordinal)}`} error={diffs.error} />
        ) : !diffs.data ? (
          <div className="skeleton" style={{ width: 240 }} data-testid="step-diff-loading" />
        ) : diff ? (
          <DbDiffView diff={diff} />
        ) : (
          <div className="faint">{step.malformed || step.skipped ? "Not run: this call changed nothing." : step.toolName ? "Not replayed yet: replay the trajectory to see what this call changed." : "No tool call in this step."}</div>
        )}
      </div>
    </div>
  );
}

/** An agent run's model call behind the step: tokens, latency, and the recorded call itself. */
function ModelCall({ step }: { step: StepOutline }) {
  return (
    <span className="faint" data-testid="step-model-call">
      {step.promptTokens ?? "?"} → {step.completionTokens ?? "?"} tokens{step.latencyMs != null && `, ${step.latencyMs} ms`} ·{" "}
      <Link href={`/llm-calls/${encodeURIComponent(step.llmCallId ?? "")}`}>LLM call</Link>
    </span>
  );
}

function ToolResult({ text, isError }: { text: string; isError: boolean }) {
  const { response, traceback } = splitTraceback(text);
  return (
    <div>
      <div className={styles.label}>Tool result</div>
      <pre className={`${styles.block}${isError ? ` ${styles.blockError}` : ""}`} data-testid="step-result" data-error={isError}>
        {prettyJsonText(response)}
      </pre>
      {traceback && <TracebackBlock traceback={traceback} />}
    </div>
  );
}

function prettyArguments(args: unknown): string {
  return typeof args === "string" ? args : stringifyExactJson(args ?? {}, 2);
}

function prettyJsonText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
