"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { PlaytestView } from "@/lib/playtest/view";
import { isResetStep } from "@/lib/trajectories/reset-step";
import { McpUrl } from "@/components/instances/mcp-url";
import { EmptyState } from "@/components/ui/empty-state";
import { Badge } from "@/components/ui/badge";
import { ErrorBox } from "@/components/ui/error-box";
import { RefreshError } from "@/components/ui/refresh-error";
import { FinishedSummary, FinishForm } from "./finish-panel";
import { InstanceCrash, InstanceStatus } from "./instance-status";
import { StepList } from "./step-list";
import { StepResult } from "./step-result";
import { ToolList } from "./tool-list";
import { ToolPanel } from "./tool-panel";
import { useInstanceStatus, usePlaytestActions, usePlaytestView, useRefreshOnActivity, type PlaytestIds } from "./use-playtest";
import styles from "./playtest.module.css";

export function PlaytestPage(ids: PlaytestIds) {
  const view = usePlaytestView(ids);
  if (!view.data) return view.error ? <div className="page"><ErrorBox title="Cannot open this playtest" error={view.error} /></div> : <div className="page faint">Loading playtest…</div>;
  // A refresh that fails leaves the workbench (and a form being filled in) in place.
  return (
    <>
      {view.error && <RefreshError error={view.error} />}
      <PlaytestWorkbench ids={ids} view={view.data} />
    </>
  );
}

function PlaytestWorkbench({ ids, view }: { ids: PlaytestIds; view: PlaytestView }) {
  const { trajectory, tools, examples, finished } = view;
  const instance = useInstanceStatus(ids.instanceId, view.instance).data ?? view.instance;
  const actions = usePlaytestActions(ids);
  // Calls and finishes from outside (an MCP agent, the REST API, the CLI) show as the instance changes.
  useRefreshOnActivity(ids, instance ? `${instance.status} ${instance.lastActivity}` : undefined);
  const router = useRouter();
  // Open on a tool that only reads: a prefilled write is one click from changing the state unasked.
  const [selectedTool, setSelectedTool] = useState<string | undefined>(tools.find((tool) => !tool.changesState)?.name);
  const [selectedStep, setSelectedStep] = useState<number | undefined>(undefined);
  /** The step an action just recorded: its result scrolls into view. */
  const [recorded, setRecorded] = useState<number | undefined>(undefined);
  const showRecorded = (ordinal: number) => {
    setSelectedStep(ordinal);
    setRecorded(ordinal);
  };

  const steps = trajectory.steps;
  const latest = steps.at(-1);
  const shownStep = steps.find((step) => step.ordinal === selectedStep) ?? latest;
  const tool = tools.find((candidate) => candidate.name === selectedTool);
  const busy = actions.call.isPending || actions.reset.isPending || actions.finish.isPending || actions.restart.isPending;
  const disabledReason = finished
    ? "this playtest is finished"
    : !instance
      ? "the instance is gone"
      : instance.status !== "running"
        ? `the instance is ${instance.status}`
        : undefined;
  const actionError = actions.call.error ?? actions.reset.error ?? actions.finish.error ?? actions.restart.error;
  const restartable = !finished && (!instance || instance.status === "crashed" || instance.status === "stopped");
  const replayable = steps.filter((step) => isResetStep(step) || (step.toolName !== null && !step.isFinal)).length;

  return (
    <div className={`page page--fill ${styles.page}`} data-testid="playtest-page" data-trajectory={trajectory.id}>
      <header className={styles.header}>
        <div className={styles.headerMain}>
          <div className={styles.headerLine}>
            <Link href={`/environments/${encodeURIComponent(trajectory.environmentName)}?tab=tasks&task=${trajectory.taskIdx}`} className="mono">
              {trajectory.environmentName}
            </Link>
            <span className="faint">task #{trajectory.taskIdx}</span>
            {finished ? (
              <Badge tone="ok" testId="playtest-finished">
                finished
              </Badge>
            ) : (
              <InstanceStatus instance={instance} error={view.instanceError} />
            )}
            {!finished && instance?.status === "running" && <McpUrl instanceId={instance.id} />}
          </div>
          <p className={styles.task} data-testid="playtest-task">
            {trajectory.task}
          </p>
        </div>
        <div className={styles.headerActions}>
          {finished && (
            <>
              <Link className="button" href={`/trajectories/${encodeURIComponent(trajectory.id)}`} data-testid="open-trajectory">
                Open trajectory
              </Link>
              <Link className="button" href={`/playtest/new?env=${encodeURIComponent(trajectory.environmentName)}&task=${trajectory.taskIdx}`} prefetch={false}>
                Play again
              </Link>
            </>
          )}
          {restartable && (
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => actions.restart.mutate(undefined, { onSuccess: (result) => router.replace(`/playtest/${encodeURIComponent(result.trajectoryId)}?instance=${encodeURIComponent(result.instanceId)}`) })}
              title="Start a fresh instance and replay this playtest's calls and resets onto it, in order"
              data-testid="restart-button"
            >
              {actions.restart.isPending ? "Replaying…" : `Restart (replay ${replayable} step${replayable === 1 ? "" : "s"})`}
            </button>
          )}
          <button
            type="button"
            className="button"
            disabled={disabledReason !== undefined || busy}
            onClick={() => actions.reset.mutate(undefined, { onSuccess: (result) => showRecorded(result.step.ordinal) })}
            title="Put the database back to the seed state (recorded as a step)"
            data-testid="reset-button"
          >
            {actions.reset.isPending ? "Resetting…" : "Reset database"}
          </button>
        </div>
      </header>
      {instance?.status === "crashed" && <InstanceCrash instance={instance} />}
      {actionError && <ErrorBox title="The last action failed" error={actionError} />}

      <div className={styles.columns}>
        <aside className={styles.left}>{finished ? <p className="faint">The playtest is finished: its instance is stopped, and the trajectory holds every call.</p> : <ToolList tools={tools} selected={selectedTool} onSelect={setSelectedTool} />}</aside>
        <main className={styles.center}>
          {finished ? (
            <FinishedSummary finalAnswer={trajectory.finalAnswer} verdict={trajectory.verdicts[0]} />
          ) : tool ? (
            <ToolPanel
              key={tool.name}
              tool={tool}
              examples={examples[tool.name] ?? {}}
              disabledReason={disabledReason}
              calling={actions.call.isPending}
              onCall={(request) => actions.call.mutate({ tool: tool.name, ...request }, { onSuccess: (result) => showRecorded(result.step.ordinal) })}
            />
          ) : (
            <EmptyState title={tools.length === 0 ? "No tools" : "Choose a tool"}>{tools.length === 0 ? "The instance is not running, so its tools are unknown." : "Pick a tool on the left."}</EmptyState>
          )}
        </main>
        <section className={styles.result}>
          {shownStep && (
            <StepResult
              key={shownStep.ordinal}
              step={shownStep}
              isLatest={shownStep === latest}
              reveal={recorded === shownStep.ordinal}
            />
          )}
        </section>
        <aside className={styles.right}>
          <section className="card">
            <header className="card__header">
              <h3 className={styles.cardTitle}>Steps</h3>
              <span className="faint">{steps.length}</span>
            </header>
            <StepList steps={steps} selected={shownStep?.ordinal} onSelect={setSelectedStep} />
          </section>
          {!finished && (
            <section className="card" data-testid="finish-card">
              <header className="card__header">
                <h3 className={styles.cardTitle}>Finish</h3>
              </header>
              <div className="card__body">
                <FinishForm disabledReason={disabledReason} finishing={actions.finish.isPending} onFinish={(answer) => actions.finish.mutate(answer, { onSuccess: () => setSelectedStep(undefined) })} />
              </div>
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}
