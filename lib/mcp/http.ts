/**
 * MCP over Streamable HTTP, stateless: every POST gets a fresh server and transport and a plain
 * JSON answer, so no session state outlives a request and any number of clients can share an
 * instance. There is no standalone SSE stream (GET) nor session to end (DELETE): both answer 405,
 * which the protocol allows and clients handle.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";

/**
 * Browsers attach an Origin to cross-site requests: a page on another site (or a DNS-rebound name)
 * must not drive environment tools, so only loopback origins are accepted. Agents and trainers send
 * no Origin at all.
 */
function foreignOrigin(request: Request): string | undefined {
  const origin = request.headers.get("origin");
  if (!origin) return undefined;
  try {
    const host = new URL(origin).hostname;
    return ["127.0.0.1", "localhost", "[::1]", "::1"].includes(host) ? undefined : origin;
  } catch {
    return origin;
  }
}

export async function handleMcpHttpRequest(request: Request, createServer: () => Server): Promise<Response> {
  const origin = foreignOrigin(request);
  if (origin) {
    return Response.json(
      { jsonrpc: "2.0", error: { code: -32000, message: `origin ${origin} is not allowed: the MCP endpoint accepts loopback origins only` }, id: null },
      { status: 403 },
    );
  }
  if (request.method !== "POST") {
    return Response.json(
      { jsonrpc: "2.0", error: { code: -32000, message: `${request.method} is not supported: this MCP endpoint is stateless, send requests with POST` }, id: null },
      { status: 405, headers: { allow: "POST" } },
    );
  }
  const server = createServer();
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    await server.close();
  }
}
