import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { JobProgress } from "@/lib/pipeline/progress";
import { formatCost, formatSeconds, formatTokens } from "./format";
import styles from "./pipeline.module.css";

export function jobStatusTone(status: string): BadgeTone {
  if (status === "finished") return "ok";
  if (status === "failed") return "error";
  if (status === "running" || status === "queued") return "info";
  return "neutral";
}

/** A job's bar (finished stage runs of those expected), counts, elapsed time, ETA, tokens and cost. */
export function JobProgressBar({ progress }: { progress: JobProgress }) {
  const percent = progress.expected > 0 ? Math.min(100, (progress.finished / progress.expected) * 100) : 0;
  const counts = Object.values(progress.stages).reduce((sum, stage) => ({ passed: sum.passed + stage.passed, failed: sum.failed + stage.failed }), { passed: 0, failed: 0 });
  const running = progress.status === "running" || progress.status === "queued";
  return (
    <div className={styles.jobProgress} data-testid="job-progress" data-status={progress.status}>
      <div className={styles.jobProgressLine}>
        <Badge tone={jobStatusTone(progress.status)} dot>
          {progress.status}
        </Badge>
        <span className="num">
          {progress.finished} / {progress.expected} stage runs
        </span>
        <span className="faint">
          {counts.passed} passed · {counts.failed} failed
        </span>
        <span className="faint">
          {formatSeconds(progress.elapsedSeconds)} elapsed
          {running && ` · ETA ${progress.etaSeconds === null ? "after the first stage" : formatSeconds(progress.etaSeconds)}`}
        </span>
        <span className="faint">
          {formatTokens(progress.totals.promptTokens, progress.totals.completionTokens)} · <span title={progress.pricesSet ? undefined : "No price is set: the setting pipeline.prices or AWM_STUDIO_PRICE_IN / AWM_STUDIO_PRICE_OUT (USD per 1M tokens)"}>{formatCost(progress.totals.costUsd, progress.pricesSet)}</span>
        </span>
      </div>
      <div className="progress" role="progressbar" aria-valuenow={Math.round(percent)} aria-valuemin={0} aria-valuemax={100}>
        <div className={`progress__bar${progress.status === "failed" ? " progress__bar--error" : ""}`} style={{ width: `${percent}%` }} />
      </div>
      {progress.error && <pre className={`${styles.pre} ${styles.jobError}`}>{progress.error}</pre>}
    </div>
  );
}
