import Link from "next/link";
import type { AttemptUse, LlmCallUse, TrajectoryUse } from "@/lib/llm/calls";

/** What a call was for, linked: a trajectory's step or verdict, or a pipeline stage's attempt. */
export function LlmCallUseLink({ use }: { use: LlmCallUse }) {
  return use.kind === "trajectory" ? <TrajectoryUseLink use={use} /> : <AttemptUseLink use={use} />;
}

/** A key for a list of uses: unique among one call's. */
export function keyOfUse(use: LlmCallUse): string {
  return use.kind === "trajectory" ? `${use.trajectoryId}-${use.ordinal}` : `${use.jobId}-${use.environment}-${use.stage}-${use.key}-${use.attempt}`;
}

/** "step 2 · task #0 · rollout #1" (the trajectory at that step) or "verdict · task #0". */
function TrajectoryUseLink({ use }: { use: TrajectoryUse }) {
  const parts = [
    use.ordinal === null ? "verdict" : `step ${use.ordinal + 1}`,
    ...(use.taskIdx === null ? [] : [`task #${use.taskIdx}`]),
    ...(use.rollout === null ? [] : [`rollout #${use.rollout}`]),
  ];
  const href = `/trajectories/${encodeURIComponent(use.trajectoryId)}${use.ordinal === null ? "" : `?step=${use.ordinal + 1}`}`;
  return (
    <Link href={href} title={`trajectory ${use.trajectoryId}`} data-testid="llm-call-used-by">
      {parts.join(" · ")}
    </Link>
  );
}

/** "tasks attempt 2 · plant_swap_club_1" (the environment's pipeline at that stage), or a gen job's scenario batch (its job). */
function AttemptUseLink({ use }: { use: AttemptUse }) {
  const what = `${use.stage}${use.key ? ` ${use.key}` : ""} attempt ${use.attempt}`;
  if (!use.environment) {
    return (
      <Link href="/jobs" title={use.jobId ? `job ${use.jobId}` : undefined} data-testid="llm-call-used-by">
        {what}
      </Link>
    );
  }
  const href = `/environments/${encodeURIComponent(use.environment)}?${new URLSearchParams({ tab: "pipeline", stage: use.stage }).toString()}`;
  return (
    <Link href={href} title={use.jobId ? `job ${use.jobId}` : undefined} data-testid="llm-call-used-by">
      {what} · {use.environment}
    </Link>
  );
}
