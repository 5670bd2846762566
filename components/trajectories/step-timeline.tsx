"use client";

import { isResetStep } from "@/lib/trajectories/reset-step";
import { useEffect, useRef, type CSSProperties } from "react";
import { stepNumber } from "@/lib/trajectories/step-label";
import type { StepOutline } from "@/lib/trajectories/store";
import { Badge } from "@/components/ui/badge";
import { VirtualRows } from "@/components/ui/virtual-rows";
import { MalformedBadge } from "./trajectory-badges";
import styles from "./trajectory.module.css";

/** Matches `.stepRow` in trajectory.module.css (a title line and a preview line, neither wraps). */
const STEP_ROW_HEIGHT = 48;

/**
 * One compact row per step (role, tool, a one-line preview, badges), windowed so only the rows in
 * view are in the DOM; the full step renders only for the selected one.
 */
export function StepTimeline({ steps, selected, onSelect }: { steps: StepOutline[]; selected: number; onSelect: (index: number) => void }) {
  const listRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The selected row may be outside the window (not in the DOM), so scroll by position, not by element.
    const viewport = listRef.current?.firstElementChild;
    if (!(viewport instanceof HTMLElement)) return;
    const top = selected * STEP_ROW_HEIGHT;
    if (top < viewport.scrollTop) viewport.scrollTop = top;
    else if (top + STEP_ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + STEP_ROW_HEIGHT - viewport.clientHeight;
  }, [selected]);
  return (
    <div ref={listRef} role="listbox" aria-label="Steps" data-testid="step-timeline">
      <VirtualRows
        className={styles.timeline}
        items={steps}
        rowHeight={STEP_ROW_HEIGHT}
        renderRow={(step, index, style) => (
          <StepRow key={step.id} step={step} selected={index === selected} style={style} onSelect={() => onSelect(index)} />
        )}
      />
    </div>
  );
}

function StepRow({ step, selected, style, onSelect }: { step: StepOutline; selected: boolean; style: CSSProperties; onSelect: () => void }) {
  const changes = step.changedRows ?? 0;
  return (
    <button
      role="option"
      aria-selected={selected}
      className={`${styles.stepRow}${selected ? ` ${styles.stepRowSelected}` : ""}${step.isError || step.malformed ? ` ${styles.stepRowError}` : ""}`}
      style={style}
      onClick={onSelect}
      data-testid="step-row"
      data-ordinal={step.ordinal}
      data-selected={selected}
    >
      <span className={styles.stepIndex}>{stepNumber(step.ordinal)}</span>
      <span className={styles.stepTitle}>
        {stepTitle(step)}
        <span className={styles.stepPreview}>{stepPreview(step)}</span>
      </span>
      <span className={styles.stepBadges}>
        {step.malformed && <MalformedBadge />}
        {step.isError && <Badge tone="error">error</Badge>}
        {changes > 0 && <Badge tone="info">{changes} row{changes === 1 ? "" : "s"}</Badge>}
        {step.isFinal && <Badge tone="ok">final</Badge>}
      </span>
    </button>
  );
}

export function stepTitle(step: Pick<StepOutline, "toolName" | "malformed" | "isFinal" | "role" | "content">): string {
  if (step.toolName) return step.toolName;
  if (step.malformed) return "malformed tool call";
  if (step.isFinal) return "final answer";
  if (isResetStep(step)) return "reset";
  if (step.role === "tool") return "tool result";
  return step.role;
}

function stepPreview(step: StepOutline): string {
  if (step.toolName || step.malformed) return typeof step.toolArguments === "string" ? step.toolArguments : JSON.stringify(step.toolArguments ?? {});
  return (step.content || step.toolResponse || "").slice(0, 200);
}
