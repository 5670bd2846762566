/**
 * A studio trajectory as a chat-completions conversation: the system prompt of the agent's native
 * protocol, the task as the user's message, then each reply with its tool calls (calls of one reply
 * in one assistant message) followed by the tools' answers, and the final answer. A playtest that
 * reset its database to the seed mid-run is the attempt after its last reset: the calls before it
 * changed a world the rest never sees, and no episode a policy plays has a reset.
 * A run played in AWM's protocol reads as the native protocol it is exported in: its call_tool calls
 * are already the environment tools they named, the <tool_call> markup leaves the reply's text (the
 * call is in tool_calls), and its list_tools turns go (the rows give the tools as `tools`).
 */
import { systemPrompt } from "../agent/prompts.ts";
import { stringifyExactJson } from "../json/exact-json.ts";
import { isResetStep } from "../trajectories/reset-step.ts";
import type { TrajectoryRecord } from "../trajectories/store.ts";

export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: string;
  content: string;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
}

type Step = TrajectoryRecord["steps"][number];

/** AWM's meta-tool that lists the environment's tools: no tool of a native conversation. */
const LIST_TOOLS = "list_tools";

/** The messages a policy is reset with: the system prompt and the task. */
export function promptMessages(task: string): ChatMessage[] {
  return [
    { role: "system", content: systemPrompt("native") },
    { role: "user", content: task },
  ];
}

export function chatMessages(run: Pick<TrajectoryRecord, "task" | "steps" | "source">): ChatMessage[] {
  const messages = promptMessages(run.task);
  let answers: ChatMessage[] = [];
  let open: ChatMessage | undefined;
  const flush = () => {
    messages.push(...answers);
    answers = [];
    open = undefined;
  };
  const lastReset = run.steps.findLastIndex(isResetStep);
  for (const step of run.steps.slice(lastReset + 1)) {
    if (isCall(step) && step.toolName === LIST_TOOLS) continue;
    if (isCall(step)) {
      const call: ChatToolCall = { id: step.toolCallId ?? `call_${step.ordinal}`, type: "function", function: { name: step.toolName ?? "", arguments: argumentsText(step.toolArguments) } };
      if (open && continuesReply(step, run.source)) open.tool_calls?.push(call);
      else {
        flush();
        // A malformed call keeps its text as written: that is what went wrong.
        open = { role: "assistant", content: step.malformed ? step.content : withoutCallMarkup(step.content), tool_calls: [call] };
        messages.push(open);
      }
      answers.push({ role: "tool", tool_call_id: call.id, content: step.toolResponse ?? "" });
    } else if (step.role === "tool") {
      answers.push({ role: "tool", tool_call_id: step.toolCallId ?? "", content: step.toolResponse ?? "" });
    } else if (step.role !== "system" && !(step.role === "user" && step.content === run.task)) {
      flush();
      messages.push({ role: step.role, content: step.content });
    }
  }
  flush();
  return messages;
}

/**
 * Whether a call belongs to the reply before it: in an agent run every call after a reply's first
 * has no model call of its own; an imported AWM log leaves a reply's further calls without text;
 * each playtest call is a turn of its own.
 */
function continuesReply(step: Step, source: TrajectoryRecord["source"]): boolean {
  if (source === "agent") return !step.llmCallId;
  return source === "import" && step.content === "";
}

function isCall(step: Step): boolean {
  return step.role === "assistant" && (step.toolName !== null || step.toolArguments !== undefined);
}

/** Arguments as JSON text; a malformed call's raw text stays as it was written. */
function argumentsText(args: unknown): string {
  if (args === undefined) return "{}";
  return typeof args === "string" ? args : stringifyExactJson(args);
}

/** A reply's text without AWM's `<tool_call>…</tool_call>` blocks (a block left open runs to the end). */
function withoutCallMarkup(content: string): string {
  return content.replace(/<tool_call>[\s\S]*?(?:<\/tool_call>|$)/g, "").trim();
}
