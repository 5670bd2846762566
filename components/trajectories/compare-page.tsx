"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { RolloutResults } from "@/lib/agent/rollout-results";
import { rolloutKeys } from "@/components/query-keys";
import { fetchJson } from "@/components/ui/fetch-json";
import type { StepOutline, TrajectoryOutline } from "@/lib/trajectories/store";
import { DbDiffView } from "@/components/diff/db-diff-view";
import { ErrorBox } from "@/components/ui/error-box";
import { LongText } from "@/components/ui/long-text";
import { stepNumber } from "@/lib/trajectories/step-label";
import { stepTitle } from "./step-timeline";
import { sameTaskOf } from "@/lib/trajectories/task-text";
import { formatReward, JudgeErrorBadge, ReplayBadge, VerdictBadge } from "./trajectory-badges";
import styles from "./trajectory.module.css";
import { useTrajectory, useTrajectoryStep } from "./use-trajectories";

/** Two trajectories of the same task side by side (`?a=<id>&b=<id>`): steps aligned by index, verdicts, final changes. */
export function ComparePage() {
  const params = useSearchParams();
  const a = params.get("a") ?? undefined;
  const b = params.get("b") ?? undefined;
  const left = useTrajectory(a);
  const right = useTrajectory(b);
  if (!a || !b) return <div className="page"><ErrorBox title="Nothing to compare" error="open /trajectories/compare?a=<id>&b=<id>" /></div>;
  const error = left.error ?? right.error;
  if (error) return <div className="page"><ErrorBox title="Could not load a trajectory" error={error} /></div>;
  if (!left.data || !right.data) return <div className="page"><div className="skeleton" style={{ width: 320 }} /></div>;
  const sameTask = left.data.environmentName === right.data.environmentName && sameTaskOf(left.data, right.data);
  // The rollout job both belong to, if they do.
  const sameJob = left.data.jobId !== null && left.data.jobId === right.data.jobId ? left.data.jobId : null;
  const length = Math.max(left.data.steps.length, right.data.steps.length);
  return (
    <div className="page" data-testid="compare-page">
      <h1>Compare trajectories</h1>
      {sameJob && (
        <div className="page__subtitle">
          Two rollouts of one job: <Link href={`/rollouts/${encodeURIComponent(sameJob)}`}>back to its results</Link>
        </div>
      )}
      {!sameTask && <ErrorBox title="Different tasks" error="these two trajectories are not of the same environment task; steps are still aligned by index" />}
      {sameTask && <div className={styles.task}>{left.data.task}</div>}
      <div className={styles.compare}>
        <Side trajectory={left.data} showTask={!sameTask} />
        <Side trajectory={right.data} showTask={!sameTask} />
      </div>
      {sameTask && sameJob && left.data.taskIdx !== null && (
        <RolloutPickers jobId={sameJob} taskIdx={left.data.taskIdx} a={left.data.id} b={right.data.id} />
      )}
      <section className="card">
        <header className="card__header">
          <h2>Steps</h2>
          <span className="faint">aligned by index; rows where the two differ are highlighted</span>
        </header>
        <div className="card__body">
          {Array.from({ length }, (_, index) => {
            const x = left.data.steps[index];
            const y = right.data.steps[index];
            const differs = stepKey(x) !== stepKey(y);
            return (
              <div key={index} className={`${styles.compareRow}${differs ? ` ${styles.compareRowDiffers}` : ""}`} data-testid="compare-row" data-differs={differs}>
                <span className="faint">{stepNumber(index)}</span>
                <CompareCell step={x} />
                <CompareCell step={y} />
              </div>
            );
          })}
        </div>
      </section>
    </div>
  );
}

/** Two rollouts of one job's task: pick which stand side by side. */
function RolloutPickers({ jobId, taskIdx, a, b }: { jobId: string; taskIdx: number; a: string; b: string }) {
  const results = useQuery({ queryKey: rolloutKeys.results(jobId), queryFn: () => fetchJson<RolloutResults>(`/api/rollouts/${encodeURIComponent(jobId)}`) });
  const rollouts = results.data?.report.tasks.find((task) => task.taskIdx === taskIdx)?.rollouts ?? [];
  if (rollouts.length < 3) return null; // two rollouts: there is no other pair to pick
  // A history entry of its own, so Back returns to the pair before (the page reads the pair from the URL).
  const open = (next: { a: string; b: string }) => {
    if (next.a !== a || next.b !== b) window.history.pushState(null, "", `?a=${encodeURIComponent(next.a)}&b=${encodeURIComponent(next.b)}`);
  };
  const picker = (side: "a" | "b", value: string) => (
    <select className="input" value={value} onChange={(event) => open({ a, b, [side]: event.target.value })} aria-label={side === "a" ? "Left rollout" : "Right rollout"} data-testid={`compare-pick-${side}`}>
      {rollouts.map((row) => (
        <option key={row.trajectoryId} value={row.trajectoryId}>
          rollout #{row.rollout} · {row.infraFailure ? "infrastructure failure" : `reward ${row.reward}`}
        </option>
      ))}
    </select>
  );
  return (
    <div className={styles.comparePick}>
      <span className="faint">Compare another pair of this task&apos;s rollouts:</span> {picker("a", a)} beside {picker("b", b)}
    </div>
  );
}

/** Which run this is: its rollout in a group, else its source, model and id. `showTask` when the two are of different tasks. */
function Side({ trajectory, showTask }: { trajectory: TrajectoryOutline; showTask: boolean }) {
  // The last step with a recorded diff carries the change since the start.
  const lastDiffed = trajectory.steps.findLast((step) => step.changedRows !== null);
  const lastStep = useTrajectoryStep(trajectory.id, lastDiffed);
  const finalChange = lastStep.data?.cumulativeDiff;
  return (
    <section className="card" data-testid="compare-side">
      <header className="card__header">
        <Link href={`/trajectories/${trajectory.id}`} data-testid="compare-side-link">
          {trajectory.rollout !== null ? `rollout #${trajectory.rollout}` : trajectory.source}
          {trajectory.model && ` · ${trajectory.model}`}
        </Link>
        <span className="mono faint">{trajectory.id.slice(0, 10)}</span>
        <VerdictBadge classification={trajectory.verdictClass} />
        <span className="muted">reward {formatReward(trajectory.reward, trajectory.verdictClass)}</span>
        <JudgeErrorBadge trajectory={trajectory} />
        <ReplayBadge status={trajectory.replayStatus} />
      </header>
      <div className="card__body">
        {showTask && <div className={styles.task}>{trajectory.task}</div>}
        <div className={styles.label}>Database change over the run</div>
        {lastStep.error ? (
          <ErrorBox title={`Could not load step ${lastDiffed ? stepNumber(lastDiffed.ordinal) : ""}`} error={lastStep.error} />
        ) : finalChange ? (
          <DbDiffView diff={finalChange} />
        ) : lastDiffed && lastStep.isPending ? (
          <div className="skeleton" style={{ width: 240 }} />
        ) : (
          <div className="faint">no replayed change</div>
        )}
      </div>
    </section>
  );
}

function CompareCell({ step }: { step: StepOutline | undefined }) {
  if (!step) return <div className={`${styles.compareCell} faint`}>—</div>;
  return (
    <div className={styles.compareCell}>
      <strong style={{ color: step.isError || step.malformed ? "var(--error)" : undefined }}>{stepTitle(step)}</strong>
      <div className="mono faint">{step.toolName ? <LongText text={JSON.stringify(step.toolArguments ?? {})} limit={300} /> : (step.content || step.toolResponse || "").slice(0, 160)}</div>
    </div>
  );
}

function stepKey(step: StepOutline | undefined): string {
  return step ? `${step.toolName ?? step.role}:${JSON.stringify(step.toolArguments ?? step.content)}` : "";
}
