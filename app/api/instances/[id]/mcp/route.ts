import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { mcpEndpoint } from "@/lib/mcp/endpoint";

export const dynamic = "force-dynamic";

/** MCP (Streamable HTTP, stateless) for one instance; `?view=awm` serves AWM's list_tools/call_tool pair. */
const mcp = route({ params: IdParams }, (_input, { params, request }) => mcpEndpoint(request, params.id));

export const GET = mcp;
export const POST = mcp;
export const DELETE = mcp;
