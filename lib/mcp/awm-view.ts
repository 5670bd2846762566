/**
 * AWM's agent protocol: the agent sees two meta-tools, `list_tools()` and
 * `call_tool(tool_name, arguments)` where arguments is the JSON text of the tool's arguments.
 * Tool names from AWM logs may carry the MCP client's prefix
 * (`mcp_tool_mcp_server_create_campaign_update`); they are mapped back to the catalog's names.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { InstanceToolHost } from "../instances/manager.ts";
import type { CatalogTool } from "../instances/shadowed-tools.ts";
import { errorResult, thrownErrorResult, toolCallResult } from "./tool-result.ts";
import { messageOf } from "../errors.ts";

const CLIENT_PREFIX = "mcp_tool_";

export function awmMetaTools(): Tool[] {
  return [
    {
      name: "list_tools",
      description: "List every tool of this environment with its description and parameters (JSON Schema).",
      inputSchema: { type: "object", properties: {} },
      annotations: { readOnlyHint: true },
    },
    {
      name: "call_tool",
      description: "Call one tool of this environment by name, with its arguments as a JSON object text.",
      inputSchema: {
        type: "object",
        properties: {
          tool_name: { type: "string", description: "Name of the tool, as list_tools gives it." },
          arguments: { type: "string", description: 'JSON object text of the tool\'s arguments, e.g. {"product_id": 1}; "{}" when it takes none.' },
        },
        required: ["tool_name"],
      },
    },
  ];
}

export async function callAwmMetaTool(host: InstanceToolHost, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  if (name === "list_tools") return { content: [{ type: "text", text: describeCatalog(host.tools()) }] };
  // What the studio refuses here is a step of a recorded episode too, under the name the agent used.
  const refuse = async (tool: string, problem: string) => {
    await host.refused?.(tool, args, problem);
    return errorResult(problem);
  };
  if (name !== "call_tool") return refuse(name, `unknown meta-tool "${name}": use list_tools or call_tool`);
  const resolved = resolveCallTool(host.tools(), args);
  if ("problem" in resolved) return refuse(typeof args.tool_name === "string" && args.tool_name ? args.tool_name : "call_tool", resolved.problem);
  try {
    return toolCallResult(await host.callTool(resolved.tool.name, resolved.args));
  } catch (error) {
    return thrownErrorResult(error);
  }
}

/** call_tool's own arguments → the environment tool and its parsed arguments, or what is wrong with them. */
export function resolveCallTool<T extends { name: string }>(tools: T[], args: Record<string, unknown>): { tool: T; args: Record<string, unknown> } | { problem: string } {
  const toolName = args.tool_name;
  if (typeof toolName !== "string" || toolName === "") return { problem: "call_tool needs tool_name, the name of a tool from list_tools" };
  const tool = resolveToolName(tools, toolName);
  if (!tool) return { problem: `unknown tool "${toolName}"; available tools: ${tools.map((t) => t.name).join(", ")}` };
  const parsed = parseArgumentsText(args.arguments);
  if ("problem" in parsed) return { problem: `call_tool ${tool.name}: ${parsed.problem}` };
  return { tool, args: parsed.value };
}

/** list_tools' answer. One JSON object per line: compact for the model, still a valid JSON array as a whole. */
export function describeCatalog(tools: CatalogTool[]): string {
  const lines = tools.map((tool) =>
    JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.inputSchema, ...(tool.warning && { warning: tool.warning }) }),
  );
  return `[\n${lines.join(",\n")}\n]`;
}

/** The catalog tool named `name`, or named by what follows the MCP client's `mcp_tool_<server>_` prefix. */
export function resolveToolName<T extends { name: string }>(tools: T[], name: string): T | undefined {
  const exact = tools.find((tool) => tool.name === name);
  if (exact || !name.startsWith(CLIENT_PREFIX)) return exact;
  const rest = name.slice(CLIENT_PREFIX.length);
  return tools
    .filter((tool) => rest === tool.name || rest.endsWith(`_${tool.name}`))
    .sort((a, b) => b.name.length - a.name.length)[0];
}

/** Arguments arrive as JSON text (AWM's protocol); an object is taken as is. */
export function parseArgumentsText(raw: unknown): { value: Record<string, unknown> } | { problem: string } {
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) return { value: {} };
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return { problem: `arguments is not valid JSON (${messageOf(error)}); pass a JSON object text such as {"id": 1}` };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problem: `arguments must be a JSON object, got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}` };
  }
  return { value: value as Record<string, unknown> };
}
