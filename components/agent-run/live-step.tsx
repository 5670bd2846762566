import Link from "next/link";
import { stringifyExactJson } from "@/lib/json/exact-json";
import { stepNumber } from "@/lib/trajectories/step-label";
import type { StepView } from "@/lib/trajectories/store";
import { Badge } from "@/components/ui/badge";
import { stepTitle } from "@/components/trajectories/step-timeline";
import styles from "./agent-run.module.css";

const RESULT_PREVIEW = 600;

function changedRows(step: StepView): number {
  return Object.values(step.diff?.tables ?? {}).reduce((sum, table) => sum + table.inserted.length + table.deleted.length + table.updated.length, 0);
}

/** One recorded step of a live run: the model's text, the call it parsed to, the answer and what changed. */
export function LiveStep({ step }: { step: StepView }) {
  const changes = changedRows(step);
  return (
    <li className={styles.step} data-testid="live-step" data-ordinal={step.ordinal} data-final={step.isFinal}>
      <div className={styles.stepHead}>
        <span className="mono faint">{stepNumber(step.ordinal)}</span>
        <strong>{stepTitle(step)}</strong>
        {step.malformed && <Badge tone="error">malformed</Badge>}
        {step.skipped && <Badge tone="neutral">skipped</Badge>}
        {step.isError && !step.malformed && <Badge tone="error">error</Badge>}
        {changes > 0 && <Badge tone="info">{changes} row{changes === 1 ? "" : "s"} changed</Badge>}
        {step.latencyMs != null && <span className="faint">model {step.latencyMs} ms</span>}
        {step.llmCallId && <Link href={`/llm-calls/${encodeURIComponent(step.llmCallId)}`}>LLM call</Link>}
      </div>
      {step.content && (
        <>
          <div className={styles.boxLabel}>{step.isFinal ? "Final answer" : "Model text"}</div>
          <pre className={styles.modelText} data-testid="live-step-text">{step.content}</pre>
        </>
      )}
      {(step.toolName || step.malformed) && (
        <>
          <div className={styles.boxLabel}>Parsed call</div>
          <pre className={styles.call} data-testid="live-step-call">
            {step.toolName ?? "?"} {typeof step.toolArguments === "string" ? step.toolArguments : stringifyExactJson(step.toolArguments ?? {})}
          </pre>
        </>
      )}
      {step.toolResponse !== null && (
        <>
          <div className={styles.boxLabel}>{step.skipped ? "Not run" : "Tool result"}</div>
          <pre className={`${styles.response}${step.isError ? ` ${styles.responseError}` : ""}`}>
            {step.toolResponse.slice(0, RESULT_PREVIEW)}
            {step.toolResponse.length > RESULT_PREVIEW ? "…" : ""}
          </pre>
        </>
      )}
    </li>
  );
}
