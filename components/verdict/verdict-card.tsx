import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { FORMAT_ERROR, JUDGE_CLASSES, hasReward, isVerdictClass, verdictLabel, type VerdictClass } from "@/lib/awm/verdict";
import styles from "./verdict-card.module.css";
import type { VerdictView } from "@/lib/trajectories/store";
import { formatWhen } from "@/components/ui/date-time";

/** What the card shows of a stored verdict (the trajectory store's VerdictView without its ids). */
export type VerdictCardData = Omit<VerdictView, "id" | "trajectoryId">;

const TONES: Record<VerdictClass, BadgeTone> = {
  complete: "ok",
  incomplete: "warning",
  agent_error: "error",
  server_error: "info",
  others: "neutral",
  judge_error: "error",
};

/** `judgeOnly`: an sql verdict on a free-text task, judged from the database change without a verifier. */
export function VerdictCard({ verdict, judgeOnly = false }: { verdict: VerdictCardData; judgeOnly?: boolean }) {
  const known = isVerdictClass(verdict.classification) ? verdict.classification : undefined;
  const rewarded = known ? hasReward(known) : true;
  const confidence = JUDGE_CLASSES.filter((c) => verdict.confidence[c] !== undefined);
  return (
    <section className="card" data-testid="verdict-card" data-classification={verdict.classification}>
      <header className={`card__header ${styles.header}`}>
        <Badge tone={known ? TONES[known] : "neutral"} dot testId="verdict-class">
          {verdictLabel(verdict.classification)}
        </Badge>
        <span className="muted">{verdict.classification === FORMAT_ERROR ? "a malformed call ended the episode · no verifier ran" : modeLabel(verdict.mode, judgeOnly)}</span>
        <span className="faint">{formatWhen(verdict.createdAt, { seconds: true })}</span>
        <span className={styles.reward} data-testid="verdict-reward" title={rewarded ? undefined : "A judge error is no judgement of the agent: no reward."}>
          {rewarded ? `reward ${verdict.reward}` : "no reward"}
        </span>
      </header>
      <div className={`card__body ${styles.body}`}>
        {verdict.error && (
          <div className="error-box">
            <div className="error-box__title">Why it could not be judged</div>
            <pre className="error-box__message mono">{verdict.error}</pre>
          </div>
        )}
        {confidence.length > 0 && (
          <div>
            <div className={styles.sectionTitle}>Judge confidence</div>
            <div className={styles.bars} data-testid="verdict-confidence">
              {confidence.map((c) => {
                const value = verdict.confidence[c] ?? 0;
                return (
                  <Bar key={c} label={verdictLabel(c)} value={value} chosen={c === verdict.classification} />
                );
              })}
            </div>
          </div>
        )}
        {verdict.reasoning && (
          <div>
            <div className={styles.sectionTitle}>Reasoning</div>
            <p className={styles.text}>{verdict.reasoning}</p>
          </div>
        )}
        {hasContent(verdict.evidence) && (
          <div>
            <div className={styles.sectionTitle}>Evidence</div>
            <pre className="code-block mono">{JSON.stringify(verdict.evidence, null, 2)}</pre>
          </div>
        )}
        {verdict.verifierOutput && (
          <details>
            <summary className={styles.sectionTitle}>Verifier output</summary>
            <pre className="code-block mono">{prettyJson(verdict.verifierOutput)}</pre>
          </details>
        )}
        {verdict.llmCallId && (
          <Link href={`/llm-calls/${verdict.llmCallId}`} className="mono">
            judge call {verdict.llmCallId}
          </Link>
        )}
      </div>
    </section>
  );
}

function modeLabel(mode: VerdictCardData["mode"], judgeOnly: boolean): string {
  if (mode === "code") return "code mode · verifier decides";
  return judgeOnly ? "judge only · LLM judge over the database change (free-text task, no verifier)" : "sql mode · verifier evidence + LLM judge";
}

function Bar({ label, value, chosen }: { label: string; value: number; chosen: boolean }) {
  return (
    <>
      <span className={styles.barLabel}>{label}</span>
      <span className={styles.barTrack}>
        <span className={`${styles.barFill} ${chosen ? styles.barFillChosen : ""}`} style={{ width: `${Math.round(value * 100)}%`, display: "block" }} />
      </span>
      <span className={styles.barValue}>{Math.round(value * 100)}%</span>
    </>
  );
}

function hasContent(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  return typeof value !== "object" || Object.keys(value).length > 0;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
