/**
 * Self-correction: ask the model, parse its JSON, run the stage's check; on failure ask again with
 * the check's errors (summarized by the model when long), up to maxAttempts. Every attempt is stored
 * (StageAttempt) the moment it ends, so a resumed job continues with the next attempt number and the
 * last feedback instead of starting over; a finished StageRun is never run again.
 */
import { LlmCallError, llmCall, type LlmResult } from "../llm/client.ts";
import { parseModelJson } from "../llm/parse-json.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import type { CheckOutcome } from "./checks/outcome.ts";
import { costUsd, type PriceLookup } from "./pricing.ts";
import { errorSummaryPrompt, type ChatMessage } from "./prompts.ts";
import type { Semaphore } from "./semaphore.ts";
import { PIPELINE_STAGES, type PipelineStage } from "../awm/types.ts";
import { messageOf } from "../errors.ts";

export const DEFAULT_MAX_ATTEMPTS = 5;
/** Check reports longer than this are summarized by the model before being fed back. */
export const FEEDBACK_SUMMARY_THRESHOLD = 1_500;
const FEEDBACK_FALLBACK_CHARS = 4_000;
const TRANSACTION_LIMITS = { maxWait: 60_000, timeout: 60_000 };

export interface PipelineContext {
  jobId: string | null;
  modelLimit: Semaphore;
  /** Bounds the heavy checks (sandboxed server boots, verifier runs). */
  checkLimit: Semaphore;
  maxAttempts: number;
  /** Per model request (the client retries timeouts a bounded number of times). */
  modelTimeoutMs: number;
  prices: PriceLookup;
  /** Called after every stored attempt and finished stage (progress reporting). */
  onEvent?: (event: StageEvent) => void;
}

export interface StageEvent {
  environmentName: string;
  stage: PipelineStage;
  key: string;
  attempt: number;
  passed: boolean;
  finished: boolean;
  errors: string[];
  warnings: string[];
}

export interface StageTask<R> {
  environmentName: string;
  stage: PipelineStage;
  key: string;
  /** Scenario name sent in the request metadata. */
  scenario: string;
  prompt(feedback?: string): ChatMessage[];
  check(answer: Record<string, unknown>, raw: string): Promise<CheckOutcome<R>>;
  /** Stores what passed, in the transaction that marks the stage passed; returns the artifact version. */
  onPass(record: R, tx: StudioTx): Promise<number | null>;
}

export interface StageResult {
  status: "passed" | "failed";
  stageRunId: string;
  attempts: number;
  /** The check result of the passing attempt (or of the last one). */
  checkResult: StoredCheckResult;
  /** False when the StageRun had finished before (a resumed job). */
  ranNow: boolean;
}

/** What StageAttempt.checkResult holds. */
export interface StoredCheckResult {
  passed: boolean;
  errors: string[];
  /** The check's doubts that did not fail it (see CheckOutcome.warnings). */
  warnings?: string[];
  details?: Record<string, unknown>;
  /** What the next attempt was told. */
  feedback?: string;
  /** The model call failed (its endpoint, not its answer): nothing was checked. */
  modelFailed?: boolean;
}

export async function runStage<R>(context: PipelineContext, task: StageTask<R>, db = studioDb()): Promise<StageResult> {
  const run = await findOrStartRun(context.jobId, task, db);
  if (run.status === "passed" || run.status === "failed") {
    const last = run.stageAttempts.at(-1);
    return { status: run.status, stageRunId: run.id, attempts: run.attempts, checkResult: parseCheckResult(last?.checkResult), ranNow: false };
  }
  let checkResult = parseCheckResult(run.stageAttempts.at(-1)?.checkResult);
  let feedback = checkResult.feedback;
  for (let attempt = run.stageAttempts.length + 1; attempt <= context.maxAttempts; attempt++) {
    const messages = task.prompt(feedback);
    const answer = await askModel(context, task, attempt, messages);
    if ("failure" in answer) {
      const stop = !answer.retryable || attempt >= context.maxAttempts;
      await recordModelFailure(context, task, { stageRunId: run.id, attempt, messages, answer, feedback, stop }, db);
      if (stop) throw modelCallFailed(task, answer.failure, answer.retryable);
      await sleep(modelBackoffMs(attempt));
      continue;
    }
    const outcome = await checkAnswer(task, answer.result.text);
    const last = attempt >= context.maxAttempts;
    const passed = outcome.passed && outcome.record !== undefined;
    const summary = passed || last ? undefined : await feedbackFor(context, task, attempt, outcome.errors);
    feedback = summary?.text;
    checkResult = {
      passed,
      errors: outcome.errors,
      ...(outcome.warnings?.length && { warnings: outcome.warnings }),
      ...(outcome.details && { details: outcome.details }),
      ...(feedback !== undefined && { feedback }),
    };
    const spent = addUsage(answer.usage, summary);
    const attemptRow = {
      stageRunId: run.id,
      attempt,
      prompt: JSON.stringify(messages),
      answer: answer.result.text,
      checkResult: JSON.stringify(checkResult),
      passed,
      error: outcome.errors.join("\n"),
      llmCallId: answer.llmCallId ?? null,
      promptTokens: answer.usage.promptTokens,
      completionTokens: answer.usage.completionTokens,
      latencyMs: answer.latencyMs,
    };
    const runUpdate = {
      attempts: attempt,
      promptTokens: { increment: spent.promptTokens },
      completionTokens: { increment: spent.completionTokens },
      costUsd: { increment: spent.usd },
    };
    await db.$transaction(async (tx) => {
      await tx.stageAttempt.create({ data: attemptRow });
      const version = passed ? await task.onPass(outcome.record as R, tx) : null;
      const status = passed ? "passed" : last ? "failed" : "running";
      await tx.stageRun.update({ where: { id: run.id }, data: { ...runUpdate, status, ...(passed && { artifactVersion: version }) } });
    }, TRANSACTION_LIMITS);
    context.onEvent?.({ ...eventOf(task, attempt), passed, finished: passed || last, errors: outcome.errors, warnings: outcome.warnings ?? [] });
    if (passed) return { status: "passed", stageRunId: run.id, attempts: attempt, checkResult, ranNow: true };
  }
  if (run.stageAttempts.length >= context.maxAttempts) await db.stageRun.update({ where: { id: run.id }, data: { status: "failed" } });
  const attempts = Math.max(run.stageAttempts.length, context.maxAttempts);
  return { status: "failed", stageRunId: run.id, attempts, checkResult, ranNow: true };
}

/**
 * The generator's endpoint failed a call after the client's own retries. A failure that retrying
 * cannot mend (a wrong base URL, model or key: HTTP 4xx) stops the stage there, and the job with it;
 * one that may pass (rate limit, timeout, 5xx, refused connection) takes the next attempt after a
 * pause, and stops the stage when it was the last. Either way the model is not told: its attempts
 * are for answers the check refuses (told, it was asked to fix an error it had not made), and a stage
 * stopped so leaves its artifact's state as it was ("stopped", not "failed").
 */
export class ModelCallFailedError extends Error {
  override name = "ModelCallFailedError";
}

/** `retried`: the failure was one retrying may mend, and the attempts ran out on it. */
function modelCallFailed(task: StageTask<unknown>, failure: string, retried: boolean): ModelCallFailedError {
  const what = `${task.stage}${task.key ? ` ${task.key}` : ""}${task.environmentName ? ` of ${task.environmentName}` : ""}`;
  const advice = retried
    ? "The endpoint failed every attempt: check that it is up and answering (and its base URL in Settings), then regenerate."
    : "Check the generator model (base URL, model, API key) in Settings, then regenerate.";
  return new ModelCallFailedError(`${what} stopped: ${failure}. ${advice}`);
}

interface ModelFailure {
  stageRunId: string;
  attempt: number;
  messages: ChatMessage[];
  answer: ModelAnswer & { failure: string };
  /** The feedback this attempt was given: it stays the last one, so the next attempt (or a resumed run) asks with it again. */
  feedback: string | undefined;
  stop: boolean;
}

async function recordModelFailure(context: PipelineContext, task: StageTask<unknown>, failure: ModelFailure, db: ReturnType<typeof studioDb>): Promise<void> {
  const { stageRunId, attempt, answer, feedback } = failure;
  const checkResult: StoredCheckResult = { passed: false, modelFailed: true, errors: [answer.failure], ...(feedback !== undefined && { feedback }) };
  await db.$transaction(async (tx) => {
    await tx.stageAttempt.create({
      data: { stageRunId, attempt, prompt: JSON.stringify(failure.messages), answer: "", checkResult: JSON.stringify(checkResult), passed: false, error: answer.failure, llmCallId: answer.llmCallId ?? null, promptTokens: 0, completionTokens: 0, latencyMs: answer.latencyMs },
    });
    await tx.stageRun.update({ where: { id: stageRunId }, data: { attempts: attempt, status: failure.stop ? "stopped" : "running" } });
  }, TRANSACTION_LIMITS);
  context.onEvent?.({ ...eventOf(task, attempt), passed: false, finished: failure.stop, errors: [answer.failure], warnings: [] });
}

/** Parses and checks one answer; an unparseable answer or a check that throws is a failed attempt with the reason. */
async function checkAnswer<R>(task: StageTask<R>, text: string): Promise<CheckOutcome<R>> {
  try {
    return await task.check(parseModelJson(text), text);
  } catch (error) {
    return { passed: false, errors: [messageOf(error)] };
  }
}

function addUsage(a: Usage, b: Usage | undefined): Usage {
  return b ? { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, usd: a.usd + b.usd } : a;
}

function eventOf(task: StageTask<unknown>, attempt: number) {
  return { environmentName: task.environmentName, stage: task.stage, key: task.key, attempt };
}

async function findOrStartRun(jobId: string | null, task: StageTask<unknown>, db: StudioTx) {
  const include = { stageAttempts: { orderBy: { attempt: "asc" as const } } };
  const existing = jobId
    ? await db.stageRun.findFirst({ where: { jobId, environmentName: task.environmentName, stage: task.stage, key: task.key }, include })
    : null;
  if (existing) return existing;
  return db.stageRun.create({ data: { jobId, environmentName: task.environmentName, stage: task.stage, key: task.key, status: "running" }, include });
}

export function parseCheckResult(text: string | undefined): StoredCheckResult {
  if (!text) return { passed: false, errors: [] };
  try {
    return JSON.parse(text) as StoredCheckResult;
  } catch {
    return { passed: false, errors: [`unreadable check result: ${text.slice(0, 200)}`] };
  }
}

interface Usage {
  promptTokens: number;
  completionTokens: number;
  usd: number;
}

type ModelAnswer = ({ result: LlmResult } | { failure: string; retryable: boolean }) & { llmCallId?: string; usage: Usage; latencyMs: number };

/** One generator call under the model semaphore; a call that fails after the client's retries is a failed attempt, not a crash. */
async function askModel(context: PipelineContext, task: StageTask<unknown>, attempt: number, messages: ChatMessage[]): Promise<ModelAnswer> {
  const started = performance.now();
  try {
    const result = await context.modelLimit.run(() => llmCall({ role: "generator", stage: task.stage, scenario: task.scenario, attempt, messages, timeoutMs: context.modelTimeoutMs }), callPriority(task.stage));
    return { result, llmCallId: result.llmCallId, usage: usageOf(context, result), latencyMs: result.latencyMs };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    const zero = { promptTokens: 0, completionTokens: 0, usd: 0 };
    if (error instanceof LlmCallError) return { failure: `the model call failed: ${error.message}`, retryable: error.retryable, llmCallId: error.llmCallId, usage: zero, latencyMs };
    throw error;
  }
}

/**
 * Scenario batches first (they unlock new environments), then later stages before earlier ones, so
 * environments already under way finish instead of all advancing in lockstep.
 */
function callPriority(stage: PipelineStage): number {
  return stage === "scenario" ? PIPELINE_STAGES.length : PIPELINE_STAGES.indexOf(stage);
}

function usageOf(context: PipelineContext, result: LlmResult): Usage {
  const { promptTokens, completionTokens } = result.usage;
  return { promptTokens, completionTokens, usd: costUsd(context.prices(result.model), promptTokens, completionTokens) };
}

/** The errors as the next prompt will see them: as they are when short, else the model's summary (or the head, when that fails). */
async function feedbackFor(context: PipelineContext, task: StageTask<unknown>, attempt: number, errors: string[]): Promise<Usage & { text: string }> {
  const text = errors.join("\n");
  const zero = { promptTokens: 0, completionTokens: 0, usd: 0 };
  if (text.length <= FEEDBACK_SUMMARY_THRESHOLD) return { ...zero, text };
  try {
    const result = await context.modelLimit.run(() =>
      llmCall({ role: "generator", stage: "error_summary", scenario: task.scenario, attempt, messages: errorSummaryPrompt(task.stage, text), timeoutMs: context.modelTimeoutMs }),
    );
    if (result.text.trim()) return { ...usageOf(context, result), text: result.text.trim() };
  } catch (error) {
    if (!(error instanceof LlmCallError)) throw error;
  }
  const cut = text.length > FEEDBACK_FALLBACK_CHARS ? `${text.slice(0, FEEDBACK_FALLBACK_CHARS)}\n… (${text.length - FEEDBACK_FALLBACK_CHARS} more characters of errors)` : text;
  return { ...zero, text: cut };
}

function modelBackoffMs(attempt: number): number {
  const base = Number(process.env.AWM_STUDIO_LLM_BACKOFF_MS ?? 500);
  return Math.min((Number.isFinite(base) ? base : 500) * 2 ** (attempt - 1), 15_000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
