/** Tool call outcomes as MCP results: what the agent reads, HTTP status included when it failed. */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { appendTraceback } from "../runtime/environment-traceback.ts";
import type { ToolCallResult } from "../runtime/instance.ts";
import { messageOf } from "../errors.ts";

/** A failure reads "HTTP <status>: <body>", then the environment's traceback when it sent one. */
export function toolCallResult(result: ToolCallResult): CallToolResult {
  const text = typeof result.body === "string" ? result.body : JSON.stringify(result.body);
  if (result.ok) return { content: [{ type: "text", text }] };
  const failure = `HTTP ${result.status}: ${text}`;
  return errorResult(result.traceback ? appendTraceback(failure, result.traceback) : failure);
}

/** The call's outcome as the one text an agent reads (toolCallResult's parts joined). */
export function toolCallText(result: ToolCallResult): string {
  return toolCallResult(result)
    .content.map((part) => (part.type === "text" ? part.text : ""))
    .join("");
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

export function thrownErrorResult(error: unknown): CallToolResult {
  return errorResult(messageOf(error));
}
