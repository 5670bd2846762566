"use client";

import { useState } from "react";
import { useArtifactChange, useArtifactVersions, type ArtifactRef } from "@/components/artifact-editor/use-artifact";
import { CheckResult } from "@/components/artifact-editor/check-result";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { ErrorBox } from "@/components/ui/error-box";
import type { StageState, StageStateName } from "@/lib/pipeline/stage-state";
import { downstreamStages } from "@/lib/pipeline/stages";
import { AttemptList } from "./attempt-list";
import type { LlmReadiness } from "@/components/settings/use-llm-settings";
import styles from "./pipeline.module.css";
import { formatWhen } from "@/components/ui/date-time";

const STATE_TONES: Record<StageStateName, BadgeTone> = { pending: "neutral", running: "info", passed: "ok", failed: "error", stale: "warning" };

export interface StageDetailProps {
  environment: string;
  state: StageState;
  readiness: LlmReadiness | undefined;
  /** A job of this environment is running: no second regeneration meanwhile. */
  jobActive: boolean;
  regenerating: boolean;
  onRegenerate(cascade: boolean): void;
  onEdit(artifact: ArtifactRef): void;
}

/** "code:3" → "task 4 (code)". */
function verifierLabel(key: string): string {
  const [mode, index] = key.split(":");
  return `task #${Number(index)} (${mode})`;
}

/** Reverts the artifact to an earlier version picked from its list. */
function RevertControl({ artifact }: { artifact: ArtifactRef }) {
  const versions = useArtifactVersions(artifact);
  const earlier = (versions.data ?? []).slice(1);
  const [chosen, setChosen] = useState<number | null>(null);
  const change = useArtifactChange(artifact);
  const target = chosen ?? earlier[0]?.version ?? null;
  return (
    <div className={styles.revert}>
      <select className="input" value={target ?? ""} onChange={(event) => setChosen(Number(event.target.value))} disabled={earlier.length === 0} aria-label="Version to revert to" data-testid="revert-version">
        {earlier.length === 0 && <option value="">no earlier version</option>}
        {earlier.map((entry) => (
          <option key={entry.version} value={entry.version}>
            v{entry.version} · {entry.origin} · {formatWhen(entry.createdAt)}
          </option>
        ))}
      </select>
      <button type="button" className="button" disabled={target === null || change.isPending} onClick={() => target !== null && change.mutate({ action: "revert", version: target })} data-testid="stage-revert">
        {change.isPending ? "Reverting…" : "Revert"}
      </button>
      {change.isError && <ErrorBox title="Revert failed" error={change.error} />}
      {change.data && <CheckResult title="Now current:" version={change.data.version} check={change.data.check} />}
    </div>
  );
}

export function StageDetail({ environment, state, readiness, jobActive, regenerating, onRegenerate, onEdit }: StageDetailProps) {
  const keys = state.current.map((artifact) => artifact.key);
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const key = chosenKey !== null && keys.includes(chosenKey) ? chosenKey : (keys[0] ?? null);
  const artifact: ArtifactRef | null = key === null ? null : { environment, kind: state.stage, key };
  const canRegenerate = readiness?.ready === true && !jobActive && !regenerating;
  const why = readiness?.ready === false ? readiness.reason : jobActive ? "A regeneration of this environment is running" : undefined;
  const downstream = downstreamStages(state.stage);
  const runs = state.latestRun?.runs ?? [];

  return (
    <section className={styles.detail} data-testid="stage-detail" data-stage={state.stage}>
      <header className={styles.detailHead}>
        <h3 className={styles.detailTitle}>{state.stage}</h3>
        <Badge tone={STATE_TONES[state.state]} dot testId="stage-detail-state">
          {state.state}
        </Badge>
        {state.version !== null && <span className="faint">current v{state.version}</span>}
      </header>
      {state.staleBecause && <div className={styles.stale}>Stale: {state.staleBecause}.</div>}
      {state.problems.length > 0 && (
        <ul className={styles.problems} data-testid="stage-problems">
          {state.problems.map((problem) => (
            <li key={problem} className="mono">
              {problem}
            </li>
          ))}
        </ul>
      )}
      <div className={styles.actions}>
        <button type="button" className="button button--primary" disabled={!canRegenerate} title={why} onClick={() => onRegenerate(false)} data-testid="regenerate-stage">
          {regenerating ? "Starting…" : "Regenerate"}
        </button>
        <button
          type="button"
          className="button"
          disabled={!canRegenerate || downstream.length === 0}
          title={why ?? (downstream.length > 0 ? `Regenerates ${state.stage}, then ${downstream.join(", ")}` : "Nothing is generated from this stage")}
          onClick={() => onRegenerate(true)}
          data-testid="regenerate-downstream"
        >
          Regenerate with downstream
        </button>
        {state.stage === "verifier" && keys.length > 0 && (
          <select className="input" value={key ?? ""} onChange={(event) => setChosenKey(event.target.value)} aria-label="Verifier">
            {keys.map((entry) => (
              <option key={entry} value={entry}>
                {verifierLabel(entry)}
              </option>
            ))}
          </select>
        )}
        <button type="button" className="button" disabled={artifact === null} onClick={() => artifact && onEdit(artifact)} data-testid="edit-artifact">
          Edit
        </button>
      </div>
      {artifact && <RevertControl key={`${artifact.kind}/${artifact.key}`} artifact={artifact} />}
      <div className={styles.detailSection}>
        <div className={styles.sectionTitle}>
          Latest run
          {state.latestRun && <span className="faint"> · {new Date(state.latestRun.createdAt).toLocaleString()}</span>}
        </div>
        {runs.length === 0 ? <div className="faint">This stage was imported, not generated here: no attempts recorded yet.</div> : <AttemptList runs={runs} />}
      </div>
    </section>
  );
}
