"use client";

import type { TrajectoryView } from "@/lib/verify/trajectory-view";
import type { VerdictView } from "@/lib/trajectories/store";
import { verdictsByMode, type ModeVerdicts } from "@/lib/trajectories/verdict-history";
import { judgedDatabaseNote } from "@/lib/trajectories/judged-database";
import type { JudgeAvailability } from "@/lib/verify/judge-modes";
import type { VerifierMode } from "@/lib/awm/types";
import { ErrorBox } from "@/components/ui/error-box";
import { VerdictCard } from "@/components/verdict/verdict-card";
import styles from "./trajectory.module.css";
import { useVerifyTrajectory } from "./use-trajectories";
import { formatWhen } from "@/components/ui/date-time";

/**
 * The trajectory's verdicts per mode: the latest successful one heads, a newer judge error stands
 * beside it, older ones fold away. Re-verify (code) and Re-judge (sql) are offered only where they can run.
 */
export function VerdictPanel({ trajectory }: { trajectory: TrajectoryView }) {
  const verify = useVerifyTrajectory(trajectory.id);
  const { judging } = trajectory;
  const judgeOnly = judging.sql.available && judging.sql.judgeOnly;
  const buttons: { mode: VerifierMode; label: string; testId: string }[] = [
    { mode: "code", label: "Re-verify (code)", testId: "reverify-code" },
    { mode: "sql", label: judgeOnly ? "Judge (LLM only)" : "Re-judge (sql)", testId: "rejudge-sql" },
  ];
  const groups = verdictsByMode(trajectory.verdicts);
  const judgedOn = judgedDatabaseNote(trajectory);
  return (
    <section className="card" data-testid="verdict-panel">
      <header className="card__header">
        <h2>Verdict</h2>
        <div className={styles.actions} style={{ marginLeft: "auto" }}>
          {buttons.map(({ mode, label, testId }) => (
            <button key={mode} className="button" disabled={verify.isPending || !judging[mode].available} title={reasonOf(judging[mode])} onClick={() => verify.mutate(mode)} data-testid={testId}>
              {label}
            </button>
          ))}
        </div>
      </header>
      <div className={`card__body ${styles.verdicts}`}>
        {buttons.map(({ mode, label }) => {
          const reason = reasonOf(judging[mode]);
          return reason && <div key={mode} className="faint" data-testid={`judge-unavailable-${mode}`}>{label} is not offered: {reason}</div>;
        })}
        {verify.isPending && <div className="muted">Verifying…</div>}
        {verify.error && <ErrorBox title="Verification failed" error={verify.error} />}
        {groups.length === 0 && !verify.isPending && <div className="faint">Not judged yet.</div>}
        {groups.length > 0 && judgedOn && (
          <div className="muted" data-testid="judged-database-note">
            {sentence(judgedOn)} (see Replay).
          </div>
        )}
        {groups.map((group) => (
          <ModeVerdictGroup key={group.mode} group={group} judgeOnly={group.mode === "sql" && trajectory.taskIdx === null} />
        ))}
      </div>
    </section>
  );
}

function ModeVerdictGroup({ group, judgeOnly }: { group: ModeVerdicts<VerdictView>; judgeOnly: boolean }) {
  const newestFailure = group.failedSince[0];
  return (
    <div className={styles.verdicts} data-testid="mode-verdicts" data-mode={group.mode}>
      <VerdictCard verdict={group.headline} judgeOnly={judgeOnly} />
      {newestFailure && (
        <div className="error-box" data-testid="judge-error-beside">
          <div className="error-box__title">
            {group.failedSince.length === 1 ? "A later re-judge" : `${group.failedSince.length} later re-judges`} failed ({formatWhen(newestFailure.createdAt, { seconds: true })}); the verdict above stands
          </div>
          <pre className="error-box__message mono">{newestFailure.error}</pre>
        </div>
      )}
      {group.earlier.length > 0 && (
        <details>
          <summary className="faint">
            {group.earlier.length} earlier {group.mode} verdict{group.earlier.length === 1 ? "" : "s"}
          </summary>
          <div className={styles.verdicts}>
            {group.earlier.map((verdict) => (
              <VerdictCard key={verdict.id} verdict={verdict} judgeOnly={judgeOnly} />
            ))}
          </div>
        </details>
      )}
    </div>
  );
}

function reasonOf(availability: JudgeAvailability): string | undefined {
  return availability.available ? undefined : availability.reason;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
