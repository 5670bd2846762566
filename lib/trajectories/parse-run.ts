/**
 * Reads an AWM run's trajectory.json into studio steps: one step per tool call (with its result
 * merged in), per final answer and per other message. A tool call that cannot be executed as
 * logged (no name, arguments that are not a JSON object, a `<tool_call>` block that does not
 * parse) is marked malformed: the format error that ends a training episode with reward −1.0.
 */
import { z } from "zod";
import { describeZodError } from "../http/handler.ts";
import type { NewStep } from "./store.ts";
import { resolveToolName } from "./tool-names.ts";

const toolCallSchema = z.looseObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  arguments: z.unknown().optional(),
  /** OpenAI chat format, accepted as well. */
  function: z.looseObject({ name: z.string().nullish(), arguments: z.unknown().optional() }).nullish(),
});

const entrySchema = z.looseObject({
  iteration: z.number().nullish(),
  role: z.string(),
  content: z.unknown().optional(),
  tool_calls: z.array(toolCallSchema).nullish(),
  tool_response: z.looseObject({ tool_call_id: z.string().nullish(), content: z.unknown().optional() }).nullish(),
  tool_call_id: z.string().nullish(),
  is_final: z.boolean().nullish(),
});

const runSchema = z.looseObject({
  scenario: z.string().min(1),
  /** null for a free-text task (AWM's `--task "<text>"`). */
  task_id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]).nullable(),
  task: z.string().nullish(),
  model: z.string().nullish(),
  trajectory: z.array(entrySchema),
  messages: z.array(z.unknown()).nullish(),
});

type RawEntry = z.infer<typeof entrySchema>;
type RawToolCall = z.infer<typeof toolCallSchema>;

export interface ParsedRun {
  scenario: string;
  taskIdx: number | null;
  task?: string;
  model: string;
  steps: NewStep[];
  finalAnswer?: string;
}

/** Steps of one run, at most: AWM's agent stops at 30 iterations by default; a run far past this is no agent's. */
export const MAX_RUN_STEPS = 10_000;

/** Meta-tools of AWM's agent protocol: `call_tool` wraps an environment tool, `list_tools` only reads. */
const CALL_TOOL = "call_tool";

/** `value` is the parsed trajectory.json; `file` names it in errors. */
export function parseRun(value: unknown, file: string, environmentTools: ReadonlySet<string>): ParsedRun {
  const parsed = runSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${file}: not an AWM trajectory: ${describeZodError(parsed.error)}`);
  const run = parsed.data;
  const steps = stepsOf(run.trajectory, environmentTools);
  if (steps.length > MAX_RUN_STEPS) throw new Error(`${file}: the run has ${steps.length} steps (its messages and tool calls); a run is capped at ${MAX_RUN_STEPS}`);
  const final = [...steps].reverse().find((step) => step.isFinal);
  return {
    scenario: run.scenario,
    taskIdx: run.task_id,
    task: run.task ?? undefined,
    model: run.model ?? "",
    steps,
    finalAnswer: final?.content,
  };
}

function stepsOf(entries: RawEntry[], environmentTools: ReadonlySet<string>): NewStep[] {
  const steps: NewStep[] = [];
  const awaitingResult = new AwaitingCalls();
  for (const entry of entries) {
    const content = textOf(entry.content);
    if (entry.role === "assistant") {
      const calls = entry.tool_calls?.length ? entry.tool_calls.map((call) => structuredCall(call, environmentTools)) : textCalls(content, environmentTools);
      if (calls.length === 0) {
        steps.push({ role: "assistant", content, isFinal: entry.is_final ?? true });
        continue;
      }
      calls.forEach((call, index) => {
        const step: NewStep = { role: "assistant", content: index === 0 ? content : "", ...call };
        steps.push(step);
        if (!call.malformed) awaitingResult.add(step);
      });
    } else if (entry.role === "tool") {
      const callId = entry.tool_response?.tool_call_id ?? entry.tool_call_id ?? undefined;
      const response = textOf(entry.tool_response ? entry.tool_response.content : entry.content);
      const step = callId ? awaitingResult.take(callId) : awaitingResult.takeOldest();
      if (step) Object.assign(step, { toolResponse: response, isError: looksLikeError(response) });
      else steps.push({ role: "tool", toolCallId: callId, toolResponse: response, isError: looksLikeError(response) });
    } else {
      steps.push({ role: entry.role, content });
    }
  }
  return steps;
}

/**
 * Calls still waiting for their result, in order: a result takes the oldest with its call id, or the
 * oldest of all when it names none. Each lookup is constant time (a run may hold a million calls).
 */
class AwaitingCalls {
  private readonly all: CallQueue = { steps: [], head: 0 };
  private readonly byId = new Map<string, CallQueue>();
  private readonly taken = new Set<NewStep>();

  add(step: NewStep): void {
    this.all.steps.push(step);
    if (step.toolCallId === undefined) return;
    const queue = this.byId.get(step.toolCallId) ?? { steps: [], head: 0 };
    queue.steps.push(step);
    this.byId.set(step.toolCallId, queue);
  }

  take(callId: string): NewStep | undefined {
    const queue = this.byId.get(callId);
    return queue && this.next(queue);
  }

  takeOldest(): NewStep | undefined {
    return this.next(this.all);
  }

  /** The queue's first step not taken yet (by the other queue), taken now. */
  private next(queue: CallQueue): NewStep | undefined {
    while (queue.head < queue.steps.length && this.taken.has(queue.steps[queue.head]!)) queue.head++;
    const step = queue.steps[queue.head];
    if (step === undefined) return undefined;
    queue.head++;
    this.taken.add(step);
    return step;
  }
}

interface CallQueue {
  steps: NewStep[];
  head: number;
}

type CallFields = Pick<NewStep, "toolCallId" | "toolName" | "toolArguments" | "malformed">;

function structuredCall(call: RawToolCall, environmentTools: ReadonlySet<string>): CallFields {
  const name = call.name ?? call.function?.name ?? undefined;
  const rawArguments = call.arguments !== undefined ? call.arguments : call.function?.arguments;
  return { toolCallId: call.id ?? undefined, ...namedCall(name, rawArguments, environmentTools) };
}

/** AWM's text protocol: `<tool_call>{"name": ..., "arguments": ...}</tool_call>` in the reply. */
function textCalls(content: string, environmentTools: ReadonlySet<string>): CallFields[] {
  const blocks = [...content.matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)].map((match) => match[1]!.trim());
  return blocks.map((block) => {
    let value: unknown;
    try {
      value = JSON.parse(block) as unknown;
    } catch {
      const guessedName = /"name"\s*:\s*"([^"]+)"/.exec(block)?.[1];
      return { toolName: guessedName && resolveToolName(guessedName, environmentTools), toolArguments: block, malformed: true };
    }
    if (!isObject(value) || typeof value.name !== "string") return { toolArguments: block, malformed: true };
    return namedCall(value.name, value.arguments ?? {}, environmentTools);
  });
}

function namedCall(name: string | undefined, rawArguments: unknown, environmentTools: ReadonlySet<string>): CallFields {
  const args = argumentsObject(rawArguments);
  if (!name) return { toolArguments: rawArguments, malformed: true };
  const toolName = resolveToolName(name, environmentTools);
  if (toolName === CALL_TOOL && args && typeof args.tool_name === "string") {
    return namedCall(args.tool_name, args.arguments ?? args.arguments_json ?? {}, environmentTools);
  }
  return args ? { toolName, toolArguments: args } : { toolName, toolArguments: rawArguments, malformed: true };
}

/** The arguments as an object, or undefined when they are not a JSON object (or its JSON text). */
function argumentsObject(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === "") return {};
  if (isObject(raw)) return raw;
  if (typeof raw !== "string") return undefined;
  try {
    const value = JSON.parse(raw) as unknown;
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Message content as text: strings as they are, OpenAI content parts joined, anything else as JSON. */
function textOf(content: unknown): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content) && content.every((part) => isObject(part) && typeof part.text === "string")) {
    return content.map((part) => (part as { text: string }).text).join("\n");
  }
  return JSON.stringify(content);
}

/** A tool result that reports failure: FastAPI's {"detail": ...}, an {"error": ...} object, or error text. */
export function looksLikeError(response: string): boolean {
  const trimmed = response.trim();
  if (/^(error|traceback)\b/i.test(trimmed)) return true;
  try {
    const value = JSON.parse(trimmed) as unknown;
    return isObject(value) && (value.isError === true || "error" in value || ("detail" in value && Object.keys(value).length === 1));
  } catch {
    return false;
  }
}
