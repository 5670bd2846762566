import type { AgentStatus, ReplayStatus, TrajectorySummary } from "@/lib/trajectories/store";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { FORMAT_ERROR, verdictLabel } from "@/lib/awm/verdict";
import { plural } from "@/lib/plural";
import { rewardText } from "@/lib/number-text";

const VERDICT_TONES: Record<string, BadgeTone> = {
  complete: "ok",
  incomplete: "warning",
  agent_error: "error",
  server_error: "error",
  others: "neutral",
  judge_error: "info",
  [FORMAT_ERROR]: "error",
};

export function VerdictBadge({ classification }: { classification: string | null }) {
  if (!classification) return <span className="faint">not judged</span>;
  return (
    <Badge tone={VERDICT_TONES[classification] ?? "neutral"} testId="verdict-badge">
      {verdictLabel(classification)}
    </Badge>
  );
}

/** The latest judging failed while an earlier verdict still heads the trajectory: said beside it, with the reason on hover. */
export function JudgeErrorBadge({ trajectory }: { trajectory: Pick<TrajectorySummary, "judgeError" | "verdictClass"> }) {
  const { judgeError, verdictClass } = trajectory;
  if (!judgeError || verdictClass === "judge_error") return null;
  return (
    <span title={`latest ${judgeError.mode} judging failed: ${judgeError.error}`}>
      <Badge tone="info" testId="judge-error-beside">
        {judgeError.mode} judge error
      </Badge>
    </span>
  );
}

/** How an agent run ended, in words. */
export const AGENT_ENDING_TEXT: Record<Exclude<AgentStatus, "">, string> = {
  running: "still playing",
  final: "final answer",
  malformed: "malformed call",
  max_turns: "max turns reached",
  stopped: "stopped before its end",
  infra_failure: "infrastructure failure",
};

const AGENT_ENDINGS: Partial<Record<AgentStatus, { label: string; tone: BadgeTone }>> = {
  // Playing now, or the studio stopped while it played.
  running: { label: "unfinished", tone: "info" },
  stopped: { label: "stopped before its end", tone: "warning" },
  max_turns: { label: "max turns reached", tone: "warning" },
  infra_failure: { label: "infrastructure failure", tone: "error" },
};

/** How an agent run ended, when that is not a final answer (or a format error, its verdict): its verdict judged a run cut short. */
export function AgentEndBadge({ trajectory }: { trajectory: Pick<TrajectorySummary, "agentStatus" | "infraError"> }) {
  const ending = AGENT_ENDINGS[trajectory.agentStatus];
  if (!ending) return null;
  return (
    <span title={trajectory.infraError || undefined}>
      <Badge tone={ending.tone} testId="agent-end">
        {ending.label}
      </Badge>
    </span>
  );
}

export function ReplayBadge({ status }: { status: ReplayStatus }) {
  if (status === "none") return <span className="faint">not replayed</span>;
  const tone: BadgeTone = status === "ok" ? "ok" : status === "diverged" ? "warning" : "error";
  return (
    <Badge tone={tone} dot testId="replay-badge">
      {status === "ok" ? "replay ok" : status === "diverged" ? "diverged" : "replay failed"}
    </Badge>
  );
}

/** A step whose call could not be run as the model wrote it (whether that ended the run is the run's verdict). */
export function MalformedBadge() {
  return (
    <Badge tone="error" testId="malformed">
      malformed
    </Badge>
  );
}

/**
 * Malformed calls of a run the model went on after (the run's feedback policy, or an imported run):
 * a run that ended on one says so by its verdict, format error, and its reward.
 */
export function MalformedCallsBadge({ count, verdictClass }: { count: number; verdictClass: string | null }) {
  if (count === 0 || verdictClass === FORMAT_ERROR) return null;
  return (
    <Badge tone="warning" testId="malformed-calls">
      {plural(count, "malformed call")}
    </Badge>
  );
}

/** A trajectory's reward; a judge error's stored 0 is no reward. */
export function formatReward(reward: number | null, classification: string | null): string {
  return rewardText(classification === "judge_error" ? null : reward);
}
