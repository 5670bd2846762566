/**
 * What one verifier's run on (seed, seed) says about the verifier. Nothing has changed between the
 * two databases, so:
 * - a crash, a timeout or a wrong return shape → broken (error): it can never reward anyone;
 * - "complete" for a task that asks for a change → suspicious (warning): it would reward an agent
 *   that did nothing (see task-intent.ts for how a task is judged to ask for a change);
 * - "complete" for a question, "others", or any sql-mode evidence dict → fine.
 */
import { issue } from "../awm/issue.ts";
import type { ValidationIssue, VerifierMode } from "../awm/types.ts";
import type { VerifierRun } from "./run-verifier.ts";
import { taskIntent, type TaskIntent } from "./task-intent.ts";
import { codeResult } from "./verifier-output.ts";

export type VerifierHealthStatus = "ok" | "broken" | "suspicious";

export interface VerifierUnderTest {
  taskIdx: number;
  mode: VerifierMode;
  task: string;
  /** "gen_verifier.pure_code.jsonl line 12, task 3" */
  where: string;
}

export interface VerifierHealthEntry extends VerifierUnderTest {
  intent: TaskIntent;
  status: VerifierHealthStatus;
  output?: unknown;
  error?: string;
  durationMs: number;
}

export function assessVerifier(verifier: VerifierUnderTest, run: VerifierRun): { entry: VerifierHealthEntry; issue?: ValidationIssue } {
  const intent = taskIntent(verifier.task);
  const base = { ...verifier, intent, durationMs: run.durationMs };
  const location = { tab: "verifiers" as const, taskIdx: verifier.taskIdx };
  if (!run.ok) {
    return {
      entry: { ...base, status: "broken", error: run.error },
      issue: issue("verifier", "error", verifier.where, `The verifier fails on the seed database (initial = final = seed):\n${run.error}`, location),
    };
  }
  if (verifier.mode === "code" && intent === "change" && codeResult(run.output) === "complete") {
    return {
      entry: { ...base, status: "suspicious", output: run.output },
      issue: issue(
        "verifier",
        "warning",
        verifier.where,
        `The verifier says "complete" when nothing changed (initial = final = seed), but the task asks for a change: it would reward an agent that did nothing.`,
        location,
      ),
    };
  }
  return { entry: { ...base, status: "ok", output: run.output } };
}
