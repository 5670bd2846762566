import Link from "next/link";
import type { LlmCallUse } from "@/lib/llm/calls";

/** What a call was for, linked: "step 2 · task #0 · rollout #1" (the trajectory at that step) or "verdict · task #0". */
export function LlmCallUseLink({ use }: { use: LlmCallUse }) {
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
