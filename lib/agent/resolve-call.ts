/**
 * What a model's call asks for, in either protocol: list_tools, call_tool of an environment tool,
 * or an environment tool called directly (by its name, or `mcp_tool_<name>` as AWM's logs name it,
 * which AWM treats as call_tool of that tool). Anything else, and arguments failing the tool's
 * schema, is malformed: the agent's format error, not the environment's.
 */
import { checkToolArguments, InvalidToolArgumentsError } from "../instances/tool-arguments.ts";
import type { CatalogTool } from "../instances/shadowed-tools.ts";
import { approximate } from "../json/exact-json.ts";
import { parseArgumentsText, resolveCallTool, resolveToolName } from "../mcp/awm-view.ts";
import { buildRequest, ToolArgumentError } from "../runtime/tool-catalog.ts";

export type CallAction =
  | { kind: "list_tools" }
  | { kind: "call"; tool: CatalogTool; args: Record<string, unknown> }
  | { kind: "malformed"; problem: string };

/** `meta`: the agent was given AWM's list_tools/call_tool pair (else the environment's tools themselves, as functions). */
export function resolveCall(tools: CatalogTool[], name: string, rawArguments: unknown, meta = true): CallAction {
  if (name === "list_tools") return { kind: "list_tools" };
  const parsed = parseArgumentsText(rawArguments);
  if ("problem" in parsed) return { kind: "malformed", problem: `${name}: ${parsed.problem}` };
  const resolved = name === "call_tool" ? resolveCallTool(tools, parsed.value) : direct(tools, name, parsed.value, meta);
  if ("problem" in resolved) return { kind: "malformed", problem: resolved.problem };
  try {
    checkToolArguments(resolved.tool, approximate(resolved.args));
    buildRequest(resolved.tool, resolved.args); // what the schema cannot say: a value no HTTP request can carry
  } catch (error) {
    if (error instanceof InvalidToolArgumentsError || error instanceof ToolArgumentError) return { kind: "malformed", problem: error.message };
    throw error;
  }
  return { kind: "call", tool: resolved.tool, args: resolved.args };
}

function direct(tools: CatalogTool[], name: string, args: Record<string, unknown>, meta: boolean): { tool: CatalogTool; args: Record<string, unknown> } | { problem: string } {
  const tool = resolveToolName(tools, name);
  if (tool) return { tool, args };
  return { problem: `unknown tool "${name}"; ${meta ? "call list_tools or call_tool" : "call one of the functions given with this conversation"}` };
}
