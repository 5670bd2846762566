"use client";

import { DiffScopeToggle, type DiffScope } from "@/components/diff/diff-scope-toggle";
import { useEffect, useRef, useState } from "react";
import type { DbDiff } from "@/lib/diff/sqlite-diff";
import { stepNumber, stepStatus } from "@/lib/trajectories/step-label";
import type { StepView } from "@/lib/trajectories/store";
import { stringifyExactJson } from "@/lib/json/exact-json";
import { DbDiffView } from "@/components/diff/db-diff-view";
import { Badge } from "@/components/ui/badge";
import { LongText } from "@/components/ui/long-text";
import { TracebackBlock } from "@/components/ui/traceback-block";
import { prettyBody, readStepResponse } from "./step-response";
import styles from "./playtest.module.css";

const EMPTY_DIFF: DbDiff = { tables: {}, schema: { addedTables: [], removedTables: [], changedTables: [] } };

/** One step: the tool's response (status, pretty JSON, red when it failed) and its database diffs. */
export function StepResult({
  step,
  isLatest,
  reveal,
}: {
  step: StepView;
  isLatest: boolean;
  /** Scroll it into view when it appears (a step just recorded). */
  reveal: boolean;
}) {
  // The final answer changes nothing itself; what matters then is the whole run's change.
  const [scope, setScope] = useState<DiffScope>(step.isFinal ? "cumulative" : "step");
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (reveal) ref.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [reveal]);
  const response = step.toolResponse === null ? undefined : readStepResponse(step.toolResponse);
  const diff = (scope === "step" ? step.diff : step.cumulativeDiff) ?? EMPTY_DIFF;
  return (
    <section ref={ref} className="card" data-testid="step-result" data-ordinal={step.ordinal}>
      <header className="card__header">
        <h3 className={styles.cardTitle}>
          Step {stepNumber(step.ordinal)}
          {step.toolName && <span className="mono"> · {step.toolName}</span>}
        </h3>
        {!isLatest && <Badge tone="info">earlier step</Badge>}
        {response && (
          <span data-testid="response-status">
            <Badge tone={stepStatus(step).tone}>{stepStatus(step).label}</Badge>
          </span>
        )}
        {step.durationMs !== null && <span className="faint num">{Math.round(step.durationMs)} ms</span>}
      </header>
      <div className={`card__body ${styles.resultBody}`}>
        {step.toolArguments !== undefined && step.toolArguments !== null && (
          <div className={styles.argumentsLine}>
            <span className="faint">arguments</span> <LongText className="mono" text={stringifyExactJson(step.toolArguments)} testId="step-arguments" />
          </div>
        )}
        {response ? (
          <>
            <pre className={`${styles.response}${step.isError ? ` ${styles.responseError}` : ""}`} data-testid="response-body">
              {prettyBody(response)}
            </pre>
            {response.traceback && <TracebackBlock traceback={response.traceback} />}
          </>
        ) : (
          <p className={step.isFinal ? styles.finalNote : styles.note}>
            {step.isFinal && <span className="faint">Final answer: </span>}
            {step.content || "(empty)"}
          </p>
        )}
        <div className={styles.diffHeader}>
          <h4 className={styles.cardTitle}>Database changes</h4>
          <DiffScopeToggle scope={scope} onChange={setScope} />
        </div>
        <DbDiffView diff={diff} labels={scope === "step" ? { before: "before this step", after: "after" } : { before: "initial", after: "now" }} testId={`diff-${scope}`} />
      </div>
    </section>
  );
}
