/**
 * AWM protocol replies: every `<tool_call>{"name": ..., "arguments": ...}</tool_call>` block in the
 * model's text, in order. A reply with no `<tool_call>` at all is a final answer; a block that does
 * not parse (or is never closed) is a malformed call, kept with its raw text.
 */
import { messageOf } from "../errors.ts";

export type TextCall = { raw: string; name: string; arguments: unknown } | { raw: string; problem: string };

const OPEN = "<tool_call>";
const CLOSE = "</tool_call>";

/** null when the reply is a final answer. */
export function parseToolCalls(text: string): TextCall[] | null {
  if (!text.includes(OPEN)) return null;
  const calls: TextCall[] = [];
  for (let at = text.indexOf(OPEN); at >= 0; at = text.indexOf(OPEN, at + OPEN.length)) {
    const start = at + OPEN.length;
    const end = text.indexOf(CLOSE, start);
    if (end < 0) {
      calls.push({ raw: text.slice(start), problem: "the <tool_call> block is never closed with </tool_call>" });
      break;
    }
    calls.push(parseBlock(text.slice(start, end)));
  }
  return calls;
}

function parseBlock(raw: string): TextCall {
  const body = withoutFence(raw.trim());
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return { raw, problem: `the <tool_call> block is not valid JSON (${messageOf(error)})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { raw, problem: 'the <tool_call> block must be a JSON object {"name": ..., "arguments": ...}' };
  const { name, arguments: args } = value as Record<string, unknown>;
  if (typeof name !== "string" || name === "") return { raw, problem: 'the <tool_call> object has no "name"' };
  return { raw, name, arguments: args ?? {} };
}

/**
 * The block without a ``` fence around it. The closing fence is cut by endsWith, not a regex like
 * /\s*```$/: that one tries every run of spaces to the end, quadratic on a reply of spaces.
 */
function withoutFence(text: string): string {
  const opened = text.replace(/^```(?:json)?\s*/, "");
  return opened.endsWith("```") ? opened.slice(0, -3).trimEnd() : opened;
}
