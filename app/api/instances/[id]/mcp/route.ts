import { route } from "@/lib/http/handler";
import { instanceToolHost } from "@/lib/instances/manager";
import { handleMcpHttpRequest } from "@/lib/mcp/http";
import { createMcpServer, parseMcpView } from "@/lib/mcp/server";

export const dynamic = "force-dynamic";

/** MCP (Streamable HTTP, stateless) for one instance; `?view=awm` serves AWM's list_tools/call_tool pair. */
const mcp = route({}, async (_input, { params, request }) => {
  const view = parseMcpView(new URL(request.url).searchParams.get("view"));
  const host = instanceToolHost(params.id ?? "");
  return handleMcpHttpRequest(request, () => createMcpServer(host, view));
});

export const GET = mcp;
export const POST = mcp;
export const DELETE = mcp;
