/** The agent's system prompts, one per protocol. Written for the studio, after AWM's protocol. */
import type { AgentProtocol } from "./settings.ts";

const ROLE = `You are an assistant that carries out a user's request by operating an application through its tools. The user is already logged in as the user with id 1, so "my" and "me" refer to that user.`;

const AWM_FORMAT = `Two tools are available:
- list_tools takes no arguments and describes every tool of the application with its parameters.
- call_tool runs one tool of the application. It takes "tool_name", a name given by list_tools, and "arguments", that tool's arguments as the text of a JSON object ("{}" when it takes none).

To use a tool, put exactly one call in your reply, in this form, and stop there:
<tool_call>{"name": "call_tool", "arguments": {"tool_name": "TOOL", "arguments": "{\\"id\\": 1}"}}</tool_call>
The next message brings the tool's response. One call per reply: any further call in the same reply is not run.
When the request is carried out, or cannot be, reply without any tool call. That reply is your final answer to the user.`;

const NATIVE_FORMAT = `Use the tools offered to you to read and change the application's data. When the request is carried out, or cannot be, reply without calling a tool. That reply is your final answer to the user.`;

export function systemPrompt(protocol: AgentProtocol): string {
  return `${ROLE}\n\n${protocol === "awm" ? AWM_FORMAT : NATIVE_FORMAT}`;
}

export function malformedFeedback(problem: string, protocol: AgentProtocol): string {
  const how = protocol === "awm" ? ` Write one call as <tool_call>{"name": ..., "arguments": ...}</tool_call>, or reply without a tool call when you are done.` : "";
  return `Your tool call could not be run: ${problem}.${how}`;
}
