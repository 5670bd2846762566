"use client";

import Link from "next/link";
import { useEffect } from "react";
import { Badge } from "@/components/ui/badge";
import { ErrorBox } from "@/components/ui/error-box";
import { FieldProblems, useFieldProblems } from "@/components/ui/number-field";
import { useParamInUrl } from "@/components/ui/use-param-in-url";
import { plural } from "@/lib/plural";
import { useLlmReadiness } from "@/components/settings/use-llm-settings";
import { AgentModel } from "./agent-model";
import { AgentSettingsForm, useWebAgentSettings } from "./agent-settings-form";
import { verdictLabel } from "@/lib/awm/verdict";
import { LiveStep } from "./live-step";
import { useLiveRun } from "./use-live-run";
import { useEnvironmentDetail } from "@/components/environment/environment-page";
import { AGENT_ENDING_TEXT, AgentEndBadge, VerdictBadge } from "@/components/trajectories/trajectory-badges";
import { useTrajectory } from "@/components/trajectories/use-trajectories";
import styles from "./agent-run.module.css";
import { noSuchTask } from "@/lib/awm/no-such-task";

/** "Run agent" on one task: settings, then the episode streamed live, turn by turn, with a Stop button. */
export function RunAgentPage({ environment, taskIdx, earlierRun }: { environment: string; taskIdx: number; earlierRun?: string }) {
  const [settings, setSettings] = useWebAgentSettings();
  const { problems, report } = useFieldProblems();
  const { run, start, stop } = useLiveRun(environment, taskIdx);
  const { result } = run;
  const agent = useLlmReadiness("agent");
  const env = useEnvironmentDetail(environment);
  const task = env.data?.tasks.find((candidate) => candidate.idx === taskIdx);
  const noTask = env.data && !task ? noSuchTask(environment, taskIdx, env.data.tasks.length) : undefined;
  useParamInUrl("run", run.trajectoryId ?? undefined); // a reload still leads to the run this page started
  useLeaveWarning(run.running);
  return (
    <div className="page" data-testid="run-agent-page">
      <div className="page__header">
        <div>
          <h1>
            Run agent on <Link href={`/environments/${encodeURIComponent(environment)}?tab=tasks&task=${taskIdx}`} className="mono">{environment}</Link> task #{taskIdx}
          </h1>
          {task && (
            <p className={styles.task} data-testid="agent-task">
              {task.text}
            </p>
          )}
          <div className="page__subtitle">The agent model (Settings) plays the task on a fresh instance; each turn shows as it arrives; at the end the code verifier judges it, and the LLM judge too when a judge model is configured and the task has a sql-mode verifier. The run lasts as long as this page is open.</div>
          <AgentModel />
        </div>
      </div>
      <AgentSettingsForm value={settings} onChange={setSettings} onProblem={report} disabled={run.running} />
      <div className={styles.actions}>
        <button type="button" className="button button--primary" disabled={run.running || agent?.ready === false || problems.length > 0 || noTask !== undefined} onClick={() => void start(settings)} data-testid="run-agent-button">
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
      <FieldProblems problems={problems} />
      {noTask && <ErrorBox title="No such task" error={noTask} />}
      {earlierRun && !run.trajectoryId && <EarlierRun id={earlierRun} />}
      {run.error && <ErrorBox title="The agent run failed" error={run.error} />}
      {result && (
        <div className={styles.result} data-testid="live-result" data-status={result.status}>
          <Badge tone={result.infraFailure ? "error" : result.reward === 1 ? "ok" : "warning"}>{result.infraFailure ? "infrastructure failure" : `${result.classification ? verdictLabel(result.classification) : "?"} · reward ${result.reward ?? "none"}`}</Badge>
          <span className="faint">
            {AGENT_ENDING_TEXT[result.status]} after {plural(result.turns, "turn")}
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

/** Leaving the page stops its run (the route ends it before its next turn): the browser asks first. */
function useLeaveWarning(running: boolean): void {
  useEffect(() => {
    if (!running) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [running]);
}

/** After a reload: the run this page had started, how it ended, and its trajectory. */
function EarlierRun({ id }: { id: string }) {
  const trajectory = useTrajectory(id);
  if (!trajectory.data) return null;
  return (
    <div className={styles.result} data-testid="earlier-run">
      <span>This page&apos;s last run:</span>
      {trajectory.data.agentStatus === "running" ? <span className="faint">still playing its turn</span> : <VerdictBadge classification={trajectory.data.verdictClass} />}
      <AgentEndBadge trajectory={trajectory.data} />
      <Link href={`/trajectories/${encodeURIComponent(id)}`}>Open trajectory</Link>
    </div>
  );
}
