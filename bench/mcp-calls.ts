import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

async function studioRequest<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json" } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method} ${url}: HTTP ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

export interface McpSession {
  /** Calls a tool without arguments; an error result throws. */
  callTool(tool: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts an instance of `environment` on the studio server and connects the MCP SDK's client to its
 * Streamable HTTP endpoint. Closing disconnects and stops the instance. `episode`: the instance of
 * an episode of the environment's first task (POST /api/episodes), which records every call as a step.
 */
export async function openMcpSession(baseUrl: string, environment: string, { episode = false } = {}): Promise<McpSession> {
  const { id } = episode
    ? await studioRequest<{ instanceId: string }>(`${baseUrl}/api/episodes`, { method: "POST", body: JSON.stringify({ environment, taskIdx: 0 }) }).then(({ instanceId }) => ({ id: instanceId }))
    : await studioRequest<{ id: string }>(`${baseUrl}/api/instances`, { method: "POST", body: JSON.stringify({ environment }) });
  const client = new Client({ name: "awm-bench", version: "1.0.0" });
  const close = async () => {
    await client.close();
    await studioRequest(`${baseUrl}/api/instances/${id}`, { method: "DELETE" });
  };
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/api/instances/${id}/mcp`)));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    async callTool(tool) {
      const result = (await client.callTool({ name: tool, arguments: {} })) as CallToolResult;
      if (result.isError) throw new Error(`MCP call of ${tool} on ${environment} answered an error: ${JSON.stringify(result.content).slice(0, 500)}`);
    },
    close,
  };
}
