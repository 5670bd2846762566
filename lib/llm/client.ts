/**
 * The studio's one way to call a model: the `openai` npm client against the configured
 * OpenAI-compatible endpoint. Every HTTP request (retries included) is recorded as an LlmCall, and
 * carries `metadata: { stage, scenario, attempt }` so the endpoint's own logs can be matched.
 * Retries: 429, 5xx, connection errors and timeouts, up to AWM_STUDIO_LLM_RETRIES more times
 * (default 2) after AWM_STUDIO_LLM_BACKOFF_MS (default 500) doubling each time.
 */
import { randomUUID } from "node:crypto";
import OpenAI, { APIConnectionError, APIError } from "openai";
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import { studioDb, type StudioTx } from "../store/db.ts";
import { httpFetch, UnusableAnswerError } from "./http-fetch.ts";
import { redactKey } from "./redact.ts";
import { resolveLlmTarget, type LlmRole, type LlmTarget } from "./settings.ts";
import { messageOf } from "../errors.ts";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface LlmCallOptions {
  role: LlmRole;
  /** Overrides the role's configured model. */
  model?: string;
  /** The endpoint and model, resolved already (an episode resolves them once for all its turns): the role's settings and `model` are not read then. */
  target?: LlmTarget;
  stage: string;
  scenario?: string;
  /** The pipeline's attempt (self-correction round), not the HTTP retry. */
  attempt?: number;
  /** More `metadata` entries (the agent's task, rollout and turn). */
  metadata?: Record<string, string>;
  /** ChatMessage for the pipeline; the agent also sends tool calls and tool results. */
  messages: ChatMessage[] | ChatCompletionMessageParam[];
  /** OpenAI function calling (the agent's native protocol). */
  tools?: ChatCompletionTool[];
  timeoutMs?: number;
  jsonMode?: boolean;
  /** HTTP retries on 429/5xx/timeouts; default AWM_STUDIO_LLM_RETRIES or 2. */
  retries?: number;
  temperature?: number;
  maxTokens?: number;
  /** Return as soon as the answer is in and write its record meanwhile (`LlmResult.recorded`): an agent's turn does not wait for the write. */
  deferRecord?: boolean;
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface LlmToolCall {
  id: string;
  name: string;
  /** The model's arguments text, unparsed. */
  arguments: string;
}

export interface LlmResult {
  text: string;
  /** Function calls of the answer (only when `tools` were offered). */
  toolCalls: LlmToolCall[];
  llmCallId: string;
  usage: LlmUsage;
  latencyMs: number;
  model: string;
  /** Settles once the call's record is written: at once unless `deferRecord` was asked for. */
  recorded: Promise<void>;
}

/** The model could not be reached or answered with an error, after all retries. */
export class LlmCallError extends Error {
  constructor(
    message: string,
    readonly llmCallId: string,
    readonly status?: number,
    /** Whether calling again may go otherwise (rate limit, timeout, 5xx, a refused connection), not a wrong URL, model or key. */
    readonly retryable = false,
  ) {
    super(message);
    this.name = "LlmCallError";
  }
}

export const DEFAULT_LLM_TIMEOUT_MS = 120_000;

export async function llmCall(opts: LlmCallOptions, db: StudioTx = studioDb()): Promise<LlmResult> {
  const target = opts.target ?? (await resolveLlmTarget(opts.role, db, opts.model));
  const client = openAiClient(target);
  const body = requestBody(opts, target);
  const retries = opts.retries ?? envNumber("AWM_STUDIO_LLM_RETRIES", 2);
  let backoffMs = envNumber("AWM_STUDIO_LLM_BACKOFF_MS", 500);
  for (let retry = 0; ; retry++) {
    const started = performance.now();
    try {
      const completion = await client.chat.completions.create(body, { timeout: opts.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS });
      const latencyMs = Math.round(performance.now() - started);
      return await recordSuccess(opts, target, body, retry, completion, latencyMs, db);
    } catch (error) {
      if (error instanceof LlmCallError) throw error;
      const latencyMs = Math.round(performance.now() - started);
      const message = describeError(error, target);
      const row = await recordCall(db, opts, target, body, retry, { error: message, latencyMs });
      if (retry >= retries || !isRetryable(error)) {
        const tries = retry + 1;
        throw new LlmCallError(`${message}${tries > 1 ? ` (after ${tries} tries)` : ""}`, row.id, error instanceof APIError ? error.status : undefined, isRetryable(error));
      }
      await sleep(retryDelay(error, backoffMs));
      backoffMs *= 2;
    }
  }
}

const clients = new Map<string, OpenAI>();
const MAX_CLIENTS = 16;

/** One client per endpoint and key: building one per call costs about a millisecond. */
function openAiClient(target: LlmTarget): OpenAI {
  const key = JSON.stringify([target.baseUrl, target.apiKey]);
  let client = clients.get(key);
  if (!client) {
    if (clients.size >= MAX_CLIENTS) clients.clear();
    client = new OpenAI({ baseURL: target.baseUrl, apiKey: target.apiKey, maxRetries: 0, fetch: httpFetch });
    clients.set(key, client);
  }
  return client;
}

function requestBody(opts: LlmCallOptions, target: LlmTarget): ChatCompletionCreateParamsNonStreaming {
  return {
    model: target.model,
    messages: opts.messages,
    metadata: { stage: opts.stage, scenario: opts.scenario ?? "", attempt: String(opts.attempt ?? 1), role: opts.role, ...opts.metadata },
    ...(opts.tools?.length ? { tools: opts.tools } : {}),
    ...(opts.temperature === undefined ? {} : { temperature: opts.temperature }),
    ...(opts.maxTokens === undefined ? {} : { max_tokens: opts.maxTokens }),
    ...(opts.jsonMode ? { response_format: { type: "json_object" as const } } : {}),
  };
}

async function recordSuccess(
  opts: LlmCallOptions,
  target: LlmTarget,
  body: ChatCompletionCreateParamsNonStreaming,
  retry: number,
  completion: ChatCompletion,
  latencyMs: number,
  db: StudioTx,
): Promise<LlmResult> {
  const message = completion.choices?.[0]?.message;
  const text = redactKey(message?.content ?? "", target.apiKey);
  // The key scrubbed from every text the endpoint wrote, calls included: one that echoes it would put it in steps and exports.
  const toolCalls = (message?.tool_calls ?? []).flatMap((call) =>
    call.type === "function" ? [{ id: call.id, name: redactKey(call.function.name, target.apiKey), arguments: redactKey(call.function.arguments, target.apiKey) }] : [],
  );
  const usage = { promptTokens: completion.usage?.prompt_tokens ?? 0, completionTokens: completion.usage?.completion_tokens ?? 0 };
  const model = completion.model || target.model;
  const missing = completion.choices?.[0] ? "" : "the answer has no choices";
  const outcome = { response: forRecord(completion, (text) => redactKey(text, target.apiKey)), usage, latencyMs, error: missing };
  if (missing) {
    const row = await recordCall(db, opts, target, body, retry, outcome);
    throw new LlmCallError(`${target.baseUrl} (model ${target.model}): ${missing}`, row.id);
  }
  const data = callRecord(opts, target, body, retry, outcome);
  const write = async () => void (await db.llmCall.create({ data, select: { id: true } }));
  // Deferred, the row is written from the next turn of the event loop, once the caller has gone on to wait for something else.
  const recorded = opts.deferRecord ? new Promise((resolve) => setImmediate(resolve)).then(write) : write();
  recorded.catch(() => undefined); // deferred, its failure is the caller's to read from `recorded`
  if (!opts.deferRecord) await recorded;
  return { text, toolCalls, llmCallId: data.id, usage, latencyMs, model, recorded };
}

function recordCall(
  db: StudioTx,
  opts: LlmCallOptions,
  target: LlmTarget,
  body: ChatCompletionCreateParamsNonStreaming,
  retry: number,
  outcome: CallOutcome,
) {
  return db.llmCall.create({ data: callRecord(opts, target, body, retry, outcome), select: { id: true } });
}

/** A request or answer is stored whole up to this; beyond, its long strings are cut (forRecord). */
const RECORD_MAX_CHARS = 1024 * 1024;
const CLIPPED_STRING_CHARS = 8 * 1024;

/**
 * A request or answer as its record stores it: whole, or, when over RECORD_MAX_CHARS, each string
 * longer than CLIPPED_STRING_CHARS cut, saying how much was cut, so the record stays JSON. An
 * episode's every request holds its whole history: stored whole, an agent of long replies made its
 * records grow with the square of its turns (a review's 12 turns of 1 MiB replies took 66 MiB).
 */
function forRecord(value: unknown, scrub: (text: string) => string): string {
  const whole = scrub(JSON.stringify(value));
  if (whole.length <= RECORD_MAX_CHARS) return whole;
  // Each string scrubbed before it is cut: a key cut in two would no longer be found.
  return JSON.stringify(value, (_key, field: unknown) => {
    if (typeof field !== "string") return field;
    const clean = scrub(field);
    return clean.length > CLIPPED_STRING_CHARS ? `${clean.slice(0, CLIPPED_STRING_CHARS)}… [${clean.length - CLIPPED_STRING_CHARS} more characters not stored]` : clean;
  });
}

type CallOutcome = { response?: string; usage?: LlmUsage; latencyMs: number; error?: string };

/** The row of one HTTP request, made now: the messages it quotes may change once the caller goes on. */
function callRecord(opts: LlmCallOptions, target: LlmTarget, body: ChatCompletionCreateParamsNonStreaming, retry: number, outcome: CallOutcome) {
  const scrub = (text: string) => redactKey(text, target.apiKey);
  return {
    id: randomUUID(),
    stage: opts.stage,
    scenario: opts.scenario ?? "",
    attempt: opts.attempt ?? 1,
    model: target.model,
    baseUrl: scrub(target.baseUrl),
    request: forRecord({ retry, role: opts.role, timeoutMs: opts.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS, body }, scrub),
    response: scrub(outcome.response ?? ""),
    promptTokens: outcome.usage?.promptTokens ?? 0,
    completionTokens: outcome.usage?.completionTokens ?? 0,
    latencyMs: outcome.latencyMs,
    error: scrub(outcome.error ?? ""),
  };
}

function isRetryable(error: unknown): boolean {
  if (error instanceof APIConnectionError) return !(error.cause instanceof UnusableAnswerError); // includes timeouts
  if (error instanceof APIError) return error.status === 429 || (error.status !== undefined && error.status >= 500);
  return false;
}

function retryDelay(error: unknown, backoffMs: number): number {
  const header = error instanceof APIError ? error.headers?.get("retry-after") : null;
  const seconds = header ? Number(header) : NaN;
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, 30_000) : backoffMs;
}

/** The endpoint, the model and the server's own words, without the key even when the server quotes it. */
function describeError(error: unknown, target: LlmTarget): string {
  return redactKey(errorText(error, target), target.apiKey);
}

function errorText(error: unknown, target: LlmTarget): string {
  const where = `${target.baseUrl} (model ${target.model})`;
  if (error instanceof APIError && error.status !== undefined) {
    const detail = typeof error.error === "object" && error.error !== null ? JSON.stringify(error.error) : error.message;
    return `${where} answered HTTP ${error.status}: ${detail}`;
  }
  if (error instanceof APIConnectionError) return `${where}: ${[error.message.replace(/\.$/, ""), ...causes(error)].join(": ")}`;
  return `${where}: ${messageOf(error)}`;
}

/** "fetch failed" says little; the socket error under it ("connect ECONNREFUSED 127.0.0.1:9") says what happened. */
function causes(error: Error): string[] {
  const messages: string[] = [];
  for (let cause = error.cause; cause instanceof Error && messages.length < 4; cause = cause.cause) messages.push(cause.message);
  return messages;
}

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
