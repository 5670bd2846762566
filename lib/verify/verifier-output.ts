/** What each verifier mode must return, checked once the sandbox hands the value back. */
import type { VerifierMode } from "../awm/types.ts";

export type CodeVerifierResult = "complete" | "others";

export const ENTRY_POINTS: Record<VerifierMode, string> = {
  code: "verify_task_completion",
  sql: "verify_task",
};

/**
 * Why a verifier's return value has the wrong shape, or undefined when it is fine.
 * code mode: a dict whose "result" is exactly "complete" or "others". sql mode: a dict (the evidence).
 */
export function outputShapeError(mode: VerifierMode, output: unknown, pyType: string): string | undefined {
  const entry = ENTRY_POINTS[mode];
  if (typeof output !== "object" || output === null || Array.isArray(output)) {
    return `${entry} returned a ${pyType} (${preview(output)}); expected a dict`;
  }
  if (mode === "sql") return undefined;
  const result = (output as Record<string, unknown>).result;
  if (result === "complete" || result === "others") return undefined;
  if (result === undefined) return `${entry} returned a dict without "result" (${preview(output)}); expected {"result": "complete" | "others", ...}`;
  return `${entry} returned "result": ${preview(result)}; expected "complete" or "others"`;
}

/** The "result" of a code-mode verifier output that passed outputShapeError. */
export function codeResult(output: unknown): CodeVerifierResult {
  return (output as { result: CodeVerifierResult }).result;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
