import { expect, test } from "@playwright/test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { bearerHeaders } from "./support/studio.ts";

// The production server answers MCP endpoints on its fast path (scripts/studio-server.ts), sharing
// the instance registry with the Next routes that created the instance.
const LIBRARY = "maple_street_library_lending_desk";

test("an instance made through the REST route is served over MCP by the studio server, in both views", async ({ request, baseURL }) => {
  const created = await request.post("/api/instances", { data: { environment: LIBRARY } });
  expect(created.status()).toBe(200);
  const { id } = (await created.json()) as { id: string };
  try {
    const full = new Client({ name: "e2e", version: "1.0.0" });
    await full.connect(new StreamableHTTPClientTransport(new URL(`/api/instances/${id}/mcp`, baseURL), { requestInit: { headers: bearerHeaders() } }));
    const { tools } = await full.listTools();
    expect(tools.map((tool) => tool.name)).toContain("renew_loan");
    const fines = (await full.callTool({ name: "list_my_fines", arguments: {} })) as CallToolResult;
    expect(fines.isError ?? false).toBe(false);
    const bad = (await full.callTool({ name: "renew_loan", arguments: { loan_id: "two" } })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain("loan_id");
    await full.close();

    const awm = new Client({ name: "e2e-awm", version: "1.0.0" });
    await awm.connect(new StreamableHTTPClientTransport(new URL(`/api/instances/${id}/mcp?view=awm`, baseURL), { requestInit: { headers: bearerHeaders() } }));
    expect((await awm.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["call_tool", "list_tools"]);
    const viaMeta = (await awm.callTool({ name: "call_tool", arguments: { tool_name: "mcp_tool_mcp_server_list_my_fines", arguments: "{}" } })) as CallToolResult;
    expect(viaMeta.isError ?? false).toBe(false);
    await awm.close();

    const unknown = await request.post(`/api/instances/no-such-instance/mcp`, {
      headers: { accept: "application/json, text/event-stream" },
      data: { jsonrpc: "2.0", id: 1, method: "tools/list" },
    });
    expect(unknown.status()).toBe(404);
    expect(await unknown.text()).toContain("no instance no-such-instance");
  } finally {
    await request.delete(`/api/instances/${id}`);
  }
});

test("an episode started over HTTP names the host it was reached at in its URLs, and its MCP URL serves the episode", async ({ request, baseURL }) => {
  const started = await request.post("/api/episodes", { data: { environment: LIBRARY, taskIdx: 0 } });
  expect(started.status()).toBe(200);
  const { episode, mcpUrl, trajectoryUrl } = (await started.json()) as { episode: string; mcpUrl: string; trajectoryUrl: string };
  const reached = new URL(baseURL!);
  expect(new URL(mcpUrl).host).toBe(reached.host);
  expect(new URL(trajectoryUrl).host).toBe(reached.host);
  const client = new Client({ name: "e2e-episode", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: bearerHeaders() } }));
  const finished = (await client.callTool({ name: "finish_episode", arguments: { answer: "Nothing done." } })) as CallToolResult;
  expect(JSON.stringify(finished.content)).toContain("verdict:");
  await client.close();
  const page = await request.get(`/api/trajectories/${episode}`);
  expect(page.status()).toBe(200);
});
