/**
 * The MCP face of an instance, in one of two views:
 * - `full`: every environment tool as an MCP tool, input schemas exactly as in the catalog;
 * - `awm`: only AWM's two meta-tools, list_tools and call_tool (see awm-view.ts).
 * The low-level Server is used (not McpServer) because tools carry raw JSON Schemas, not zod shapes.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { InvalidInputError } from "../errors.ts";
import type { InstanceToolHost } from "../instances/manager.ts";
import { jsonSchemaValidator } from "../instances/tool-arguments.ts";
import { awmMetaTools, callAwmMetaTool } from "./awm-view.ts";
import { callEpisodeTool, episodeTools } from "./episode-tool.ts";
import { thrownErrorResult, toolCallResult } from "./tool-result.ts";

export const MCP_VIEWS = ["full", "awm"] as const;
export type McpView = (typeof MCP_VIEWS)[number];

const SERVER_VERSION = "0.1.0";

/** The view named by a `?view=` query value or a `--view` option; absent means full. */
export function parseMcpView(text: string | null | undefined): McpView {
  if (text === null || text === undefined || text === "") return "full";
  const view = MCP_VIEWS.find((candidate) => candidate === text);
  if (!view) throw new InvalidInputError(`unknown MCP view "${text}": use ${MCP_VIEWS.join(" or ")}`);
  return view;
}

export function createMcpServer(host: InstanceToolHost, view: McpView = "full"): Server {
  // A fresh server per HTTP request: reuse the schema compiler instead of letting each build its own.
  const server = new Server({ name: host.name, version: SERVER_VERSION }, { capabilities: { tools: {} }, jsonSchemaValidator });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...(view === "full" ? fullViewTools(host) : awmMetaTools()), ...episodeTools(host)] }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: args = {} } = request.params;
    const episodeResult = await callEpisodeTool(host, name, args);
    if (episodeResult) return episodeResult;
    return view === "full" ? callFullViewTool(host, name, args) : callAwmMetaTool(host, name, args);
  });
  return server;
}

function fullViewTools(host: InstanceToolHost): Tool[] {
  return host.tools().map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: { ...tool.inputSchema },
    annotations: { readOnlyHint: !tool.changesState },
  }));
}

async function callFullViewTool(host: InstanceToolHost, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  if (!host.tools().some((tool) => tool.name === name)) {
    const reason = `unknown tool "${name}"; this instance's tools: ${host.tools().map((tool) => tool.name).join(", ")}`;
    await host.refused?.(name, args, reason);
    throw protocolError(ErrorCode.InvalidParams, reason);
  }
  try {
    return toolCallResult(await host.callTool(name, args));
  } catch (error) {
    return thrownErrorResult(error);
  }
}

/**
 * A JSON-RPC error the SDK sends with this code and message as they are. Not McpError: its message
 * already reads "MCP error <code>: …", which the client's own McpError prefixes a second time.
 */
function protocolError(code: ErrorCode, message: string): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}
