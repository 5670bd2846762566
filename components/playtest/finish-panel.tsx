"use client";

import { useState } from "react";
import type { VerdictView } from "@/lib/trajectories/store";
import { VerdictCard } from "@/components/verdict/verdict-card";
import styles from "./playtest.module.css";

/** The final answer box and Finish (which runs the task's code-mode verifier). */
export function FinishForm({ disabledReason, finishing, onFinish }: { disabledReason?: string; finishing: boolean; onFinish: (finalAnswer: string) => void }) {
  const [answer, setAnswer] = useState("");
  return (
    <div className={styles.finish}>
      <label className="faint" htmlFor="final-answer">
        Final answer (what the agent would reply to the user)
      </label>
      <textarea id="final-answer" className={`input ${styles.finalInput}`} rows={4} value={answer} onChange={(event) => setAnswer(event.target.value)} data-testid="final-answer" />
      <button type="button" className="button button--primary" disabled={disabledReason !== undefined || finishing} onClick={() => onFinish(answer)} title={disabledReason} data-testid="finish-button">
        {finishing ? "Verifying…" : "Finish and verify"}
      </button>
    </div>
  );
}

/** A finished playtest: its final answer and the verdict. */
export function FinishedSummary({ finalAnswer, verdict }: { finalAnswer: string | null; verdict: VerdictView | undefined }) {
  return (
    <div className={styles.finish} data-testid="finished">
      <section className="card">
        <header className="card__header">
          <h3 className={styles.cardTitle}>Final answer</h3>
        </header>
        <p className={`card__body ${styles.finalAnswer}`}>{finalAnswer || <em className="faint">(empty)</em>}</p>
      </section>
      {verdict ? <VerdictCard verdict={verdict} /> : <div className="faint">No verdict stored.</div>}
    </div>
  );
}
