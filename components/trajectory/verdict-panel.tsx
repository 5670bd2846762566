"use client";

import type { VerdictView } from "@/lib/trajectories/store";
import { ErrorBox } from "@/components/ui/error-box";
import { VerdictCard } from "@/components/verdict/verdict-card";
import styles from "./trajectory.module.css";
import { useVerifyTrajectory } from "./use-trajectories";

/** The trajectory's verdicts (newest first) with Re-verify (code verifier) and Re-judge (sql verifier + LLM judge). */
export function VerdictPanel({ trajectoryId, verdicts }: { trajectoryId: string; verdicts: VerdictView[] }) {
  const verify = useVerifyTrajectory(trajectoryId);
  return (
    <section className="card" data-testid="verdict-panel">
      <header className="card__header">
        <h2>Verdict</h2>
        <div className={styles.actions} style={{ marginLeft: "auto" }}>
          <button className="button" disabled={verify.isPending} onClick={() => verify.mutate("code")} data-testid="reverify-code">
            Re-verify (code)
          </button>
          <button className="button" disabled={verify.isPending} onClick={() => verify.mutate("sql")} data-testid="rejudge-sql">
            Re-judge (sql)
          </button>
        </div>
      </header>
      <div className={`card__body ${styles.verdicts}`}>
        {verify.isPending && <div className="muted">Verifying…</div>}
        {verify.error && <ErrorBox title="Verification failed" error={verify.error} />}
        {verdicts.length === 0 && !verify.isPending && <div className="faint">Not judged yet.</div>}
        {verdicts.map((verdict) => (
          <VerdictCard key={verdict.id} verdict={verdict} />
        ))}
      </div>
    </section>
  );
}
