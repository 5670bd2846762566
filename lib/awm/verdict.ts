/**
 * Verdict classes and their rewards (AWM, "Verification and reward").
 *
 * - The LLM judge (sql mode) says complete 1.0, incomplete 0.1, agent_error 0, server_error 0.
 * - A code-mode verifier decides alone: complete 1.0, others 0 (shown as "not complete").
 * - judge_error (the verifier raised, timed out or returned the wrong shape; the judge's answer
 *   could not be read; no LLM) is a failure of the judging, not of the agent. It has no reward:
 *   `rewardFor` gives 0 only because the Verdict table needs a number, `hasReward` is false, and
 *   the trajectory's reward is left empty (null), so it is never mistaken for a zero-reward run.
 */
import { rewardText } from "../number-text.ts";

export const JUDGE_CLASSES = ["complete", "incomplete", "agent_error", "server_error"] as const;

/** An agent episode that ended at a malformed call under the `end` policy: AWM training's format error, reward −1, no verifier run. */
export const FORMAT_ERROR = "format_error";
export const FORMAT_ERROR_REWARD = -1;
export type JudgeClass = (typeof JUDGE_CLASSES)[number];
export type VerdictClass = JudgeClass | "others" | "judge_error";

const REWARDS: Record<VerdictClass, number> = {
  complete: 1,
  incomplete: 0.1,
  agent_error: 0,
  server_error: 0,
  others: 0,
  judge_error: 0,
};

const LABELS: Record<VerdictClass, string> = {
  complete: "complete",
  incomplete: "incomplete",
  agent_error: "agent error",
  server_error: "server error",
  others: "not complete",
  judge_error: "judge error",
};

export function rewardFor(c: VerdictClass): number {
  return REWARDS[c];
}

/** False for judge_error: its stored 0 is a placeholder, not a training signal. */
export function hasReward(c: VerdictClass): boolean {
  return c !== "judge_error";
}

/** The reward to train on, or null when the run could not be judged. */
export function trainingReward(c: VerdictClass): number | null {
  return hasReward(c) ? rewardFor(c) : null;
}

/** A verdict in a line of text (the CLI, an MCP agent's answer): its class as people read it, and its reward in ASCII; a judge error has none. */
export function verdictLine(classification: string, reward: number | null): string {
  return `${verdictLabel(classification)}, reward ${classification === "judge_error" || reward === null ? "none" : rewardText(reward, "-")}`;
}

/** A verdict class as people read it (others is "not complete"); a class of no verifier's, such as format_error, with spaces. */
export function verdictLabel(c: string): string {
  return isVerdictClass(c) ? LABELS[c] : c.replaceAll("_", " ");
}

export function isJudgeClass(value: unknown): value is JudgeClass {
  return typeof value === "string" && (JUDGE_CLASSES as readonly string[]).includes(value);
}

export function isVerdictClass(value: unknown): value is VerdictClass {
  return typeof value === "string" && value in REWARDS;
}
