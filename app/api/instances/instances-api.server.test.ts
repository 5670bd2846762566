/**
 * The instance routes served over a real HTTP socket (the studio's gated listener handing requests
 * to the route modules, as Next does), driven by the MCP SDK's own client and by plain fetch, both
 * with the studio's bearer token.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startRouteServer, type RouteServer, type ServedRoute } from "../../../lib/testing/route-server.ts";
import { useTempStudioHome } from "../../../lib/testing/temp-home.ts";

const home = useTempStudioHome("awm-instances-api-");
const { importTinyShop, readRows, TINY_SHOP } = await import("../../../lib/testing/tiny-shop-instance.ts");
const manager = await import("../../../lib/instances/manager.ts");

const ROUTES: ServedRoute[] = [
  { pattern: /^\/api\/instances$/, module: await import("./route.ts") },
  { pattern: /^\/api\/instances\/(?<id>[^/]+)$/, module: await import("./[id]/route.ts") },
  { pattern: /^\/api\/instances\/(?<id>[^/]+)\/mcp$/, module: await import("./[id]/mcp/route.ts") },
  { pattern: /^\/api\/instances\/(?<id>[^/]+)\/tools$/, module: await import("./[id]/tools/route.ts") },
  { pattern: /^\/api\/instances\/(?<id>[^/]+)\/call$/, module: await import("./[id]/call/route.ts") },
  { pattern: /^\/api\/instances\/(?<id>[^/]+)\/reset$/, module: await import("./[id]/reset/route.ts") },
  { pattern: /^\/api\/instances\/(?<id>[^/]+)\/snapshot$/, module: await import("./[id]/snapshot/route.ts") },
];

const TOKEN = "instances-api-test-token-0123456789abcdef";
const auth = { authorization: `Bearer ${TOKEN}` };

let server: RouteServer;
let base: string;
let instanceId: string;

before(async () => {
  await importTinyShop();
  server = await startRouteServer(ROUTES, home, TOKEN);
  base = server.base;
  const created = await fetchJson<{ id: string; status: string }>("/api/instances", { method: "POST", body: JSON.stringify({ environment: TINY_SHOP }) });
  assert.equal(created.status, "running");
  instanceId = created.id;
});

after(async () => {
  await manager.stopAll();
  await server.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function fetchJson<T>(pathname: string, init: RequestInit = {}, expectedStatus = 200): Promise<T> {
  const response = await fetch(`${base}${pathname}`, { ...init, headers: { "content-type": "application/json", ...auth } });
  const body = (await response.json()) as T;
  assert.equal(response.status, expectedStatus, `${init.method ?? "GET"} ${pathname}: ${JSON.stringify(body)}`);
  return body;
}

async function connect(view?: "awm"): Promise<Client> {
  const client = new Client({ name: "instances-api-test", version: "1.0.0" });
  const url = new URL(`${base}/api/instances/${instanceId}/mcp${view ? `?view=${view}` : ""}`);
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: auth } }));
  return client;
}

async function productRows(): Promise<Record<string, unknown>[]> {
  const { file } = await fetchJson<{ file: string }>(`/api/instances/${instanceId}/snapshot`, { method: "POST" });
  return readRows(file, "SELECT id, name, price FROM products ORDER BY id");
}

function text(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("");
}

describe("MCP endpoint, full view", () => {
  let client: Client;
  before(async () => {
    client = await connect();
  });
  after(async () => {
    await client.close();
  });

  test("tools/list is the instance's catalog", async () => {
    const { tools } = await client.listTools();
    const catalog = manager.instanceTools(instanceId);
    assert.deepEqual(
      tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
      catalog.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
    );
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ["add_product", "get_product", "rename_product"]);
    assert.equal(tools.find((tool) => tool.name === "get_product")?.annotations?.readOnlyHint, true);
  });

  test("a writing tool changes the instance's database", async () => {
    const result = (await client.callTool({ name: "add_product", arguments: { name: "Tea Pot", price: 20 } })) as CallToolResult;
    assert.equal(result.isError, undefined, text(result));
    const { id } = JSON.parse(text(result)) as { id: number };
    assert.deepEqual(
      (await productRows()).find((row) => row.id === id),
      { id, name: "Tea Pot", price: 20 },
    );
  });

  test("a non-2xx answer is an error result carrying status and body", async () => {
    const result = (await client.callTool({ name: "get_product", arguments: { product_id: 999 } })) as CallToolResult;
    assert.equal(result.isError, true);
    assert.match(text(result), /HTTP 404/);
    assert.match(text(result), /product 999 not found/);
  });

  test("invalid arguments are rejected before reaching the environment", async () => {
    const before = await productRows();
    const wrongType = (await client.callTool({ name: "add_product", arguments: { name: "Bowl", price: "cheap" } })) as CallToolResult;
    assert.equal(wrongType.isError, true);
    assert.match(text(wrongType), /price/);
    const missing = (await client.callTool({ name: "rename_product", arguments: { name: "Cup" } })) as CallToolResult;
    assert.equal(missing.isError, true);
    assert.match(text(missing), /product_id/);
    assert.deepEqual(await productRows(), before);
  });

  test("a request from a foreign web origin is refused before any tool runs", async () => {
    const init = { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream", ...auth };
    const foreign = await fetch(`${base}/api/instances/${instanceId}/mcp`, { ...init, headers: { ...headers, origin: "https://evil.example" } });
    assert.equal(foreign.status, 403);
    assert.match(await foreign.text(), /origin https:\/\/evil\.example is not allowed/);
    const local = await fetch(`${base}/api/instances/${instanceId}/mcp`, { ...init, headers: { ...headers, origin: base } });
    assert.equal(local.status, 200);
  });

  test("an unknown tool is a protocol error", async () => {
    await assert.rejects(client.callTool({ name: "drop_everything", arguments: {} }), (error: Error & { code?: number }) => {
      assert.equal(error.code, ErrorCode.InvalidParams);
      // The message as the client shows it: one "MCP error" prefix, the SDK's own.
      assert.equal(error.message, `MCP error ${ErrorCode.InvalidParams}: unknown tool "drop_everything"; this instance's tools: get_product, rename_product, add_product`);
      return true;
    });
  });
});

describe("MCP endpoint, AWM view", () => {
  let client: Client;
  before(async () => {
    client = await connect("awm");
  });
  after(async () => {
    await client.close();
  });

  test("lists exactly list_tools and call_tool", async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name), ["list_tools", "call_tool"]);
  });

  test("list_tools describes every tool with its parameters", async () => {
    const listed = JSON.parse(text((await client.callTool({ name: "list_tools", arguments: {} })) as CallToolResult)) as { name: string; parameters: unknown }[];
    const catalog = manager.instanceTools(instanceId);
    assert.deepEqual(
      listed.map(({ name, parameters }) => ({ name, parameters })),
      catalog.map((tool) => ({ name: tool.name, parameters: tool.inputSchema })),
    );
  });

  test("call_tool accepts AWM's prefixed tool names", async () => {
    const result = (await client.callTool({
      name: "call_tool",
      arguments: { tool_name: "mcp_tool_mcp_server_get_product", arguments: JSON.stringify({ product_id: 2 }) },
    })) as CallToolResult;
    assert.equal(result.isError, undefined, text(result));
    assert.deepEqual(JSON.parse(text(result)), { id: 2, name: "Plate", price: 12 });
  });

  test("arguments that are not JSON are an error result naming the problem", async () => {
    const result = (await client.callTool({ name: "call_tool", arguments: { tool_name: "get_product", arguments: "{product_id: 2" } })) as CallToolResult;
    assert.equal(result.isError, true);
    assert.match(text(result), /arguments is not valid JSON/);
  });
});

describe("REST routes", () => {
  test("list and status show the instance with its metadata", async () => {
    const { instances } = await fetchJson<{ instances: { id: string; environment: string; sandboxed: boolean }[] }>("/api/instances");
    assert.deepEqual(
      instances.map(({ id, environment }) => ({ id, environment })),
      [{ id: instanceId, environment: TINY_SHOP }],
    );
    const status = await fetchJson<{ status: string; dir: string; socket: string }>(`/api/instances/${instanceId}`);
    assert.equal(status.status, "running");
    assert.ok(fs.statSync(status.socket).isSocket(), `${status.socket} is the Unix socket the episode serves on`);
  });

  test("call answers the environment's reply and refuses bad arguments with 400", async () => {
    const result = await fetchJson<{ ok: boolean; status: number; body: unknown }>(`/api/instances/${instanceId}/call`, {
      method: "POST",
      body: JSON.stringify({ tool: "get_product", arguments: { product_id: 1 } }),
    });
    assert.deepEqual({ ok: result.ok, status: result.status, body: result.body }, { ok: true, status: 200, body: { id: 1, name: "Mug", price: 8.5 } });
    const refused = await fetchJson<{ error: { message: string } }>(
      `/api/instances/${instanceId}/call`,
      { method: "POST", body: JSON.stringify({ tool: "get_product", arguments: { product_id: "one" } }) },
      400,
    );
    assert.match(refused.error.message, /product_id/);
  });

  test("reset restores the seed rows", async () => {
    await fetchJson(`/api/instances/${instanceId}/call`, { method: "POST", body: JSON.stringify({ tool: "rename_product", arguments: { product_id: 1, name: "Blue Mug" } }) });
    assert.equal((await productRows()).find((row) => row.id === 1)?.name, "Blue Mug");
    await fetchJson(`/api/instances/${instanceId}/reset`, { method: "POST" });
    assert.deepEqual(await productRows(), [
      { id: 1, name: "Mug", price: 8.5 },
      { id: 2, name: "Plate", price: 12 },
    ]);
  });

  test("an unknown environment is a 404 naming it", async () => {
    const body = await fetchJson<{ error: { message: string } }>("/api/instances", { method: "POST", body: JSON.stringify({ environment: "no_such_env" }) }, 404);
    assert.match(body.error.message, /no_such_env/);
  });

  test("DELETE stops the instance; calls are then refused saying why", async () => {
    const stopped = await fetchJson<{ status: string; exitReason: string }>(`/api/instances/${instanceId}`, { method: "DELETE" });
    assert.deepEqual({ status: stopped.status, exitReason: stopped.exitReason }, { status: "stopped", exitReason: "stopped on request" });
    const body = await fetchJson<{ error: { message: string } }>(
      `/api/instances/${instanceId}/call`,
      { method: "POST", body: JSON.stringify({ tool: "get_product", arguments: { product_id: 1 } }) },
      409,
    );
    assert.match(body.error.message, /stopped/);
  });
});
