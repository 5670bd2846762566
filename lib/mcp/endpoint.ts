import { withCappedBody } from "../http/body-limits.ts";
import { instanceToolHost } from "../instances/manager.ts";
import { handleMcpHttpRequest } from "./http.ts";
import { createMcpServer, parseMcpView } from "./server.ts";

/**
 * One HTTP request to an instance's MCP endpoint (`?view=awm` for AWM's meta-tools). Served by the
 * Next route and, without Next's per-request routing cost, by the studio server's fast path.
 */
export async function mcpEndpoint(request: Request, instanceId: string): Promise<Response> {
  const view = parseMcpView(new URL(request.url).searchParams.get("view"));
  const host = instanceToolHost(instanceId);
  // The SDK's transport reads the body without a limit.
  return handleMcpHttpRequest(await withCappedBody(request), () => createMcpServer(host, view));
}
