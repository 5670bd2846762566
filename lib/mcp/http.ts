/**
 * MCP over Streamable HTTP, stateless: every POST gets a fresh server and transport and a plain
 * JSON answer, so no session state outlives a request and any number of clients can share an
 * instance. There is no standalone SSE stream (GET) nor session to end (DELETE): both answer 405,
 * which the protocol allows and clients handle. Host, Origin, token and body cap are checked before
 * this, by the studio's gate (lib/http/gate.ts), as for every other route.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";

export async function handleMcpHttpRequest(request: Request, createServer: () => Server): Promise<Response> {
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
