"use client";

import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { ErrorBox } from "@/components/ui/error-box";
import { useLlmReadiness } from "@/components/settings/use-llm-settings";
import { AgentSettingsForm, WEB_AGENT_DEFAULTS } from "./agent-settings-form";
import { verdictLabel } from "@/lib/awm/verdict";
import { LiveStep } from "./live-step";
import { useLiveRun } from "./use-live-run";
import styles from "./agent-run.module.css";

/** "Run agent" on one task: settings, then the episode streamed live, turn by turn, with a Stop button. */
export function RunAgentPage({ environment, taskIdx }: { environment: string; taskIdx: number }) {
  const [settings, setSettings] = useState(WEB_AGENT_DEFAULTS);
  const { run, start, stop } = useLiveRun(environment, taskIdx);
  const { result } = run;
  const agent = useLlmReadiness("agent");
  return (
    <div className="page" data-testid="run-agent-page">
      <div className="page__header">
        <div>
          <h1>
            Run agent on <Link href={`/environments/${encodeURIComponent(environment)}?tab=tasks&task=${taskIdx}`} className="mono">{environment}</Link> task #{taskIdx}
          </h1>
          <div className="page__subtitle">The agent model (Settings) plays the task on a fresh instance; each turn shows as it arrives; at the end the code verifier judges it, and the LLM judge too when a judge model is configured.</div>
          {agent && (
            <div className={agent.ready ? "faint" : undefined} data-testid="agent-model">
              {agent.ready ? (
                <>
                  Agent model <span className="mono">{agent.model}</span>
                </>
              ) : (
                agent.reason
              )}
            </div>
          )}
        </div>
      </div>
      <AgentSettingsForm value={settings} onChange={setSettings} disabled={run.running} />
      <div className={styles.actions}>
        <button type="button" className="button button--primary" disabled={run.running || agent?.ready === false} onClick={() => void start(settings)} data-testid="run-agent-button">
          {run.running ? "Running…" : run.steps.length > 0 ? "Run again" : "Run agent"}
        </button>
        {run.running && (
          <button type="button" className="button" disabled={!run.trajectoryId || run.stopping} onClick={() => void stop()} data-testid="stop-agent-button">
            {run.stopping ? "Stopping after this turn…" : "Stop"}
          </button>
        )}
        {run.trajectoryId && (
          <Link href={`/trajectories/${encodeURIComponent(run.trajectoryId)}`} data-testid="live-trajectory-link">
            Open trajectory
          </Link>
        )}
      </div>
      {run.error && <ErrorBox title="The agent run failed" error={run.error} />}
      {result && (
        <div className={styles.result} data-testid="live-result" data-status={result.status}>
          <Badge tone={result.infraFailure ? "error" : result.reward === 1 ? "ok" : "warning"}>{result.infraFailure ? "infrastructure failure" : `${result.classification ? verdictLabel(result.classification) : "?"} · reward ${result.reward ?? "none"}`}</Badge>
          <span className="faint">
            {result.status} after {result.turns} turn{result.turns === 1 ? "" : "s"}
            {result.malformed > 0 && `, ${result.malformed} malformed`}
          </span>
          {result.infraFailure && <span>{result.infraFailure}</span>}
        </div>
      )}
      <ol className={styles.steps} data-testid="live-steps">
        {run.steps.map((step) => (
          <LiveStep key={step.id} step={step} />
        ))}
      </ol>
      {run.running && <p className="faint" data-testid="live-waiting">Waiting for the next turn…</p>}
    </div>
  );
}
