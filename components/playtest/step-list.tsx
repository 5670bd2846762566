"use client";

import { stepNumber } from "@/lib/trajectories/step-label";
import type { StepView } from "@/lib/trajectories/store";
import { diffRowCount } from "./step-response";
import styles from "./playtest.module.css";

/** The steps so far, newest last; a click shows that step's response and diffs. */
export function StepList({ steps, selected, onSelect }: { steps: StepView[]; selected: number | undefined; onSelect: (ordinal: number) => void }) {
  if (steps.length === 0) return <div className={`faint ${styles.noSteps}`}>No steps yet: call a tool.</div>;
  return (
    <ol className={styles.steps} data-testid="step-list">
      {steps.map((step) => {
        const changes = diffRowCount(step.diff);
        return (
          <li key={step.ordinal}>
            <button
              type="button"
              className={`${styles.step}${step.ordinal === selected ? ` ${styles.stepSelected}` : ""}`}
              onClick={() => onSelect(step.ordinal)}
              data-testid="step-item"
              data-ordinal={step.ordinal}
              data-error={step.isError}
              title={step.toolName ?? undefined}
            >
              <span className={styles.stepOrdinal}>{stepNumber(step.ordinal)}</span>
              <span className={styles.stepText}>
                {step.toolName ? <span className="mono">{step.toolName}</span> : step.isFinal ? <em>final answer</em> : <em>{step.role === "system" ? "reset" : step.role}</em>}
              </span>
              {step.isError && <span className={styles.stepError}>error</span>}
              {changes > 0 && (
                <span className={styles.stepChanges} title={`${changes} row(s) changed`}>
                  Δ{changes}
                </span>
              )}
            </button>
          </li>
        );
      })}
    </ol>
  );
}
