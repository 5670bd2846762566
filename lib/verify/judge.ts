/**
 * The LLM judge of sql mode: one call to the judge model, its answer read tolerantly. Anything that
 * keeps a usable judgement from coming back (no LLM configured, the endpoint failing after retries,
 * an answer that is not the JSON asked for) is a judge_error that keeps the raw text and the call id.
 */
import { LlmCallError, llmCall } from "../llm/client.ts";
import { LlmNotConfiguredError } from "../llm/settings.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { buildJudgeMessages, readJudgeAnswer, type JudgeAnswer, type JudgeInput } from "./judge-prompt.ts";

export type JudgeOutcome =
  | ({ ok: true; llmCallId: string; raw: string } & JudgeAnswer)
  | { ok: false; classification: "judge_error"; error: string; raw: string; llmCallId?: string };

export interface JudgeOptions {
  scenario?: string;
  attempt?: number;
  timeoutMs?: number;
}

export const DEFAULT_JUDGE_TIMEOUT_MS = 120_000;

export async function judgeTrajectory(input: JudgeInput, options: JudgeOptions = {}, db: StudioTx = studioDb()): Promise<JudgeOutcome> {
  let result;
  try {
    result = await llmCall(
      {
        role: "judge",
        stage: "judge",
        scenario: options.scenario,
        attempt: options.attempt,
        messages: buildJudgeMessages(input),
        timeoutMs: options.timeoutMs ?? DEFAULT_JUDGE_TIMEOUT_MS,
        temperature: 0,
      },
      db,
    );
  } catch (error) {
    if (error instanceof LlmCallError) return { ok: false, classification: "judge_error", error: `the judge model failed: ${error.message}`, raw: "", llmCallId: error.llmCallId };
    if (error instanceof LlmNotConfiguredError) return { ok: false, classification: "judge_error", error: error.message, raw: "" };
    throw error;
  }
  const read = readJudgeAnswer(result.text);
  if (!read.ok) return { ok: false, classification: "judge_error", error: read.error, raw: result.text, llmCallId: result.llmCallId };
  return { ok: true, llmCallId: result.llmCallId, raw: result.text, ...read.answer };
}
