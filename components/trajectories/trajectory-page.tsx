"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import type { StepView } from "@/lib/trajectories/store";
import { taskLabel } from "@/lib/trajectories/task-text";
import type { TrajectoryView as TrajectoryViewData } from "@/lib/verify/trajectory-view";
import { DbDiffView } from "@/components/diff/db-diff-view";
import { ErrorBox } from "@/components/ui/error-box";
import { RefreshError } from "@/components/ui/refresh-error";
import { useParamInUrl } from "@/components/ui/use-param-in-url";
import { plural } from "@/lib/plural";
import { StepDetail } from "./step-detail";
import { StepTimeline } from "./step-timeline";
import { AgentEndBadge, MalformedCallsBadge, formatReward, JudgeErrorBadge, ReplayBadge, VerdictBadge } from "./trajectory-badges";
import styles from "./trajectory.module.css";
import { usePrefetchNeighbourSteps, useReplayTrajectory, useTrajectory, useTrajectoryStep } from "./use-trajectories";
import { ReviewCard } from "./review-card";
import { VerdictPanel } from "./verdict-panel";
import { inPlay } from "@/lib/trajectories/in-play";
import { recordedLive } from "@/lib/trajectories/sources";
import { useQuery } from "@tanstack/react-query";
import type { InstanceList } from "@/lib/instances/manager";
import { fetchJson } from "@/components/ui/fetch-json";
import { instanceKeys } from "@/components/query-keys";

/** An unfinished episode: where its steps come from, or, when its instance was stopped, how to go on. */
function InPlayNotice({ trajectoryId }: { trajectoryId: string }) {
  const instances = useQuery({ queryKey: instanceKeys.list(), queryFn: () => fetchJson<InstanceList>("/api/instances") });
  const own = instances.data?.instances.filter((instance) => instance.episode === trajectoryId) ?? [];
  const stopped = own.length > 0 && !own.some((instance) => instance.status === "running" || instance.status === "starting") ? own.at(-1) : undefined;
  const playtest = <Link href={`/playtest/${encodeURIComponent(trajectoryId)}`}>its playtest page</Link>;
  return (
    <div className={styles.livePlaytest} data-testid="trajectory-in-play">
      {stopped ? (
        <>
          Not finished, and its instance is {stopped.status}
          {stopped.exitReason ? ` (${stopped.exitReason})` : ""}: no agent can play on. Restart it on {playtest} (the steps so far are kept), then finish it there or with finish_episode.
        </>
      ) : (
        <>
          In play: this episode is not finished, and its steps arrive here as its agent makes them. Open {playtest} to play on or finish it (an outside agent finishes with finish_episode).
        </>
      )}
    </div>
  );
}

/** What the server read for the first paint: the outline and the opening step with its diffs. */
export interface TrajectoryPageData {
  trajectory: TrajectoryViewData;
  firstStep?: StepView;
}

export function TrajectoryPage({ id, initial }: { id: string; initial?: TrajectoryPageData }) {
  const trajectory = useTrajectory(id, initial?.trajectory);
  if (!trajectory.data) {
    if (trajectory.error) return <div className="page"><ErrorBox title={`Could not load trajectory ${id}`} error={trajectory.error} /></div>;
    return <div className="page"><div className="skeleton" style={{ width: 320 }} /></div>;
  }
  // A refresh that fails leaves the loaded page (and a review note being typed) in place.
  return (
    <>
      {trajectory.error && <RefreshError error={trajectory.error} />}
      <TrajectoryView trajectory={trajectory.data} firstStep={initial?.firstStep} />
    </>
  );
}

function TrajectoryView({ trajectory, firstStep }: { trajectory: TrajectoryViewData; firstStep?: StepView }) {
  // The page opens at the URL's step (`?step=N`, which the server read too), else the first. Back
  // restores the page without the server, from the URL as the last step shown left it.
  const params = useSearchParams();
  const [selected, setSelected] = useState(() => {
    const wanted = trajectory.steps.findIndex((candidate) => String(candidate.ordinal + 1) === params.get("step"));
    return wanted >= 0 ? wanted : Math.max(0, trajectory.steps.findIndex((candidate) => candidate.ordinal === firstStep?.ordinal));
  });
  const steps = trajectory.steps;
  const step = steps[Math.min(selected, steps.length - 1)];
  const stepWithDiffs = useTrajectoryStep(trajectory.id, step, firstStep);
  usePrefetchNeighbourSteps(trajectory.id, steps[selected - 1]?.ordinal, steps[selected + 1]?.ordinal);
  const malformed = steps.filter((candidate) => candidate.malformed).length;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLElement && event.target.closest("input, textarea, select")) return;
      if (event.key === "ArrowRight") setSelected((index) => Math.min(index + 1, steps.length - 1));
      else if (event.key === "ArrowLeft") setSelected((index) => Math.max(index - 1, 0));
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [steps.length]);

  // The URL names the step shown, so a reload, a shared link or Back (from its LLM call, say) return to it.
  useParamInUrl("step", step ? String(step.ordinal + 1) : undefined);

  useEffect(() => {
    document.body.dataset.trajectoryReady = "true";
    return () => {
      delete document.body.dataset.trajectoryReady;
    };
  }, []);

  return (
    <div className="page" data-testid="trajectory-page" data-id={trajectory.id}>
      <div className={styles.header}>
        <div className={styles.headerLine}>
          <h1>
            <Link href={`/environments/${encodeURIComponent(trajectory.environmentName)}`}>{trajectory.environmentName}</Link> · {taskLabel(trajectory.taskIdx)}
          </h1>
          <VerdictBadge classification={trajectory.verdictClass} />
          {/* An infrastructure failure has no reward, whatever verdict was recorded beside it. */}
          <span className="muted" data-testid="trajectory-reward">
            reward {trajectory.agentStatus === "infra_failure" ? "— (infrastructure failure)" : formatReward(trajectory.reward, trajectory.verdictClass)}
          </span>
          <JudgeErrorBadge trajectory={trajectory} />
          <AgentEndBadge trajectory={trajectory} />
          <ReplayBadge status={trajectory.replayStatus} />
          <MalformedCallsBadge count={malformed} verdictClass={trajectory.verdictClass} />
        </div>
        <div className="faint">
          {trajectory.source}
          {trajectory.model && ` · ${trajectory.model}`} · {plural(steps.length, "step")}
          {trajectory.importedFrom && ` · from ${trajectory.importedFrom}`}
          {trajectory.jobId && (
            <>
              {" · "}rollout #{trajectory.rollout ?? "?"} of <Link href={`/rollouts/${encodeURIComponent(trajectory.jobId)}`} data-testid="trajectory-rollout-job">its rollout job</Link>
            </>
          )}
        </div>
        <div className={styles.task} data-testid="trajectory-task">
          {trajectory.task}
        </div>
        {recordedLive(trajectory.source) && inPlay(trajectory) && <InPlayNotice trajectoryId={trajectory.id} />}
        {trajectory.agentStatus === "infra_failure" && trajectory.infraError && (
          <ErrorBox title="Infrastructure failure: not the agent's doing, so this run counts in no reward statistics" error={trajectory.infraError} />
        )}
      </div>
      <ReplayCard trajectory={trajectory} />
      {steps.length === 0 || !step ? (
        <div className="faint">This trajectory has no steps.</div>
      ) : (
        <div className={styles.layout}>
          <div>
            <div className={styles.hint}>← / → to step</div>
            <StepTimeline steps={steps} selected={selected} onSelect={setSelected} />
          </div>
          <StepDetail key={step.id} step={step} diffs={stepWithDiffs} />
        </div>
      )}
      <VerdictPanel trajectory={trajectory} />
      <ReviewCard id={trajectory.id} tags={trajectory.tags} note={trajectory.reviewNote} />
    </div>
  );
}

function ReplayCard({ trajectory }: { trajectory: TrajectoryViewData }) {
  const replay = useReplayTrajectory(trajectory.id);
  return (
    <section className="card" data-testid="replay-card" data-status={trajectory.replayStatus}>
      <header className="card__header">
        <h2>Replay</h2>
        <ReplayBadge status={trajectory.replayStatus} />
        <span className="faint">
          {trajectory.replayStatus === "diverged"
            ? "the replayed final database differs from the recorded final.db in these rows (replayed → recorded)"
            : "tool calls re-executed on a fresh instance, database diffed after each"}
        </span>
        <button
          className="button"
          style={{ marginLeft: "auto" }}
          disabled={replay.isPending || inPlay(trajectory)}
          title={inPlay(trajectory) ? "a run in play is replayed once it has ended" : undefined}
          onClick={() => replay.mutate()}
          data-testid="replay-again"
        >
          {replay.isPending ? "Replaying…" : trajectory.replayStatus === "none" ? "Replay" : "Replay again"}
        </button>
      </header>
      {(trajectory.replayError || replay.error || trajectory.replayFinalDiff) && (
        <div className="card__body">
          {replay.error && <ErrorBox title="Replay failed" error={replay.error} />}
          {trajectory.replayError && <ErrorBox title={trajectory.replayStatus === "diverged" ? "Replay diverged" : "Replay failed"} error={trajectory.replayError} />}
          {trajectory.replayFinalDiff && <DbDiffView diff={trajectory.replayFinalDiff} labels={{ before: "replayed", after: "recorded" }} testId="replay-divergence" />}
        </div>
      )}
    </section>
  );
}
