"use client";

import { useEffect, useRef } from "react";
import type { StepView } from "@/lib/trajectories/store";
import { Badge } from "@/components/ui/badge";
import { FormatFailureBadge } from "./trajectory-badges";
import styles from "./trajectory.module.css";

/**
 * One compact row per step (role, tool, a one-line preview, badges); the full step renders only
 * for the selected one, so a 100-step trajectory is 100 light rows.
 */
export function StepTimeline({ steps, selected, onSelect }: { steps: StepView[]; selected: number; onSelect: (index: number) => void }) {
  const selectedRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Recent Chromium returns a promise from scrollIntoView: it must not become the effect's cleanup.
    void selectedRef.current?.scrollIntoView({ block: "nearest" });
  }, [selected]);
  return (
    <div className={styles.timeline} role="listbox" aria-label="Steps" data-testid="step-timeline">
      {steps.map((step, index) => {
        const changes = step.diff ? countRows(step.diff) : 0;
        return (
          <button
            key={step.id}
            ref={index === selected ? selectedRef : undefined}
            role="option"
            aria-selected={index === selected}
            className={`${styles.stepRow}${index === selected ? ` ${styles.stepRowSelected}` : ""}${step.isError || step.malformed ? ` ${styles.stepRowError}` : ""}`}
            onClick={() => onSelect(index)}
            data-testid="step-row"
            data-ordinal={step.ordinal}
            data-selected={index === selected}
          >
            <span className={styles.stepIndex}>#{step.ordinal}</span>
            <span className={styles.stepTitle}>
              {stepTitle(step)}
              <span className={styles.stepPreview}>{stepPreview(step)}</span>
            </span>
            <span className={styles.stepBadges}>
              {step.malformed && <FormatFailureBadge />}
              {step.isError && <Badge tone="error">error</Badge>}
              {changes > 0 && <Badge tone="info">{changes} row{changes === 1 ? "" : "s"}</Badge>}
              {step.isFinal && <Badge tone="ok">final</Badge>}
            </span>
          </button>
        );
      })}
    </div>
  );
}

export function stepTitle(step: StepView): string {
  if (step.toolName) return step.toolName;
  if (step.malformed) return "malformed tool call";
  if (step.isFinal) return "final answer";
  if (step.role === "tool") return "tool result";
  return step.role;
}

function stepPreview(step: StepView): string {
  if (step.toolName || step.malformed) return typeof step.toolArguments === "string" ? step.toolArguments : JSON.stringify(step.toolArguments ?? {});
  return (step.content || step.toolResponse || "").slice(0, 200);
}

export function countRows(diff: NonNullable<StepView["diff"]>): number {
  return Object.values(diff.tables).reduce((sum, table) => sum + table.inserted.length + table.deleted.length + table.updated.length, 0);
}
