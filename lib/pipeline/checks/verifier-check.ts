import type { VerifierMode, VerifierRecord } from "../../awm/types.ts";
import { assessVerifier } from "../../verify/health-assessment.ts";
import { runVerifier } from "../../verify/run-verifier.ts";
import { asObject, outcome, readShape, stringField, type CheckOutcome } from "./outcome.ts";

export interface VerifierCheckContext {
  scenario: string;
  taskIdx: number;
  task: string;
  mode: VerifierMode;
  /** The seed database: the verifier runs on (seed, seed), i.e. an agent that did nothing. */
  seedDbFile: string;
  rawResponse: string;
}

const ENTRY_POINT: Record<VerifierMode, string> = { code: "verify_task_completion", sql: "verify_task" };

/**
 * The verifier defines its entry point and runs on (seed, seed) without error; for a task that asks
 * for a change (lib/verify/task-intent.ts), the unchanged database must not count as complete.
 */
export async function checkVerifier(answer: unknown, context: VerifierCheckContext): Promise<CheckOutcome<VerifierRecord>> {
  const shape = readShape(() => stringField(asObject(answer, "answer"), "code", "answer"));
  if ("error" in shape) return { passed: false, errors: [shape.error] };
  const code = shape.value;
  const record: VerifierRecord = { scenario: context.scenario, task_idx: context.taskIdx, task: context.task, verification: { code, raw_response: context.rawResponse } };
  const entryPoint = ENTRY_POINT[context.mode];
  if (!new RegExp(`^def\\s+${entryPoint}\\s*\\(`, "m").test(code)) return { passed: false, errors: [`the code defines no top-level function ${entryPoint}(...)`] };
  const run = await runVerifier({ code, mode: context.mode, initialDbFile: context.seedDbFile, finalDbFile: context.seedDbFile });
  const { entry, issue } = assessVerifier({ taskIdx: context.taskIdx, mode: context.mode, task: context.task, where: `task ${context.taskIdx}` }, run);
  const errors = issue ? [`${entry.status} verifier (${entry.intent} task): ${issue.message}${run.ok ? `\nIts output: ${JSON.stringify(run.output).slice(0, 400)}` : ""}`] : [];
  return outcome(errors, record, { status: entry.status, intent: entry.intent, output: run.ok ? run.output : undefined, durationMs: run.durationMs });
}
