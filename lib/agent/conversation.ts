/** The protocol's side of a turn: the calls a reply makes, and the messages that go back. */
import { CAPS, formatBytes } from "../config/caps.ts";
import type { LlmResult } from "../llm/client.ts";
import type { AgentMessage } from "./model-turn.ts";
import { parseToolCalls } from "./parse-tool-calls.ts";
import type { AgentSettings } from "./settings.ts";

export interface CallRequest {
  id: string;
  /** What the model wrote for this call (the <tool_call> block, or the function call's arguments). */
  raw: string;
  name?: string;
  arguments?: unknown;
  /** Why the call could not even be read. */
  problem?: string;
}

/** null when the reply is a final answer. */
export function replyCalls(reply: LlmResult, settings: AgentSettings, turn: number): CallRequest[] | null {
  if (settings.protocol === "native") {
    if (reply.toolCalls.length === 0) return null;
    return reply.toolCalls.map((call) => ({ id: call.id, raw: call.arguments, name: call.name, arguments: call.arguments }));
  }
  const calls = parseToolCalls(reply.text);
  return calls?.map((call, index) => ({ id: `call_${turn}_${index}`, ...call })) ?? null;
}

export function assistantMessage(reply: LlmResult, settings: AgentSettings): AgentMessage {
  if (settings.protocol === "awm" || reply.toolCalls.length === 0) return { role: "assistant", content: reply.text };
  return {
    role: "assistant",
    content: reply.text || null,
    tool_calls: reply.toolCalls.map((call) => ({ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } })),
  };
}

/** A tool's answer (or the feedback on a malformed call) as the model will read it. */
export function resultMessage(text: string, request: CallRequest, settings: AgentSettings): AgentMessage {
  const shown = truncate(text, settings.truncateToolResult);
  if (settings.protocol === "awm" && settings.toolResultsAs === "user") return { role: "user", content: `Tool response:\n${shown}` };
  return { role: "tool", tool_call_id: request.id, content: shown };
}

function truncate(text: string, limit: number | null): string {
  if (limit === null || text.length <= limit) return text;
  return `${text.slice(0, limit)}\n[truncated: ${text.length - limit} more characters]`;
}

/**
 * Why a reply is over CAPS.agentReply, with its text cut to the cap as its step keeps it; undefined
 * when within. Such a reply ends its episode as malformed whatever the policy: fed back, it would sit
 * in every later prompt.
 */
export function oversizeReply(reply: LlmResult): { problem: string; clipped: string } | undefined {
  const cap = CAPS.agentReply.bytes;
  const size = reply.text.length + reply.toolCalls.reduce((sum, call) => sum + call.name.length + call.arguments.length, 0);
  if (size <= cap) return undefined;
  return {
    problem: `the reply is ${size.toLocaleString("en-US")} characters, over the ${formatBytes(cap)} cap on ${CAPS.agentReply.what}`,
    clipped: `${reply.text.slice(0, cap)}${reply.text.length > cap ? `… [${(reply.text.length - cap).toLocaleString("en-US")} more characters not kept]` : ""}`,
  };
}
