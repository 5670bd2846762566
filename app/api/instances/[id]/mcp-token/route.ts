import { route } from "@/lib/http/handler";
import { instanceMcpToken } from "@/lib/http/mcp-token";
import { IdParams } from "@/lib/http/params";
import { getInstance } from "@/lib/instances/manager";

export const dynamic = "force-dynamic";

/**
 * The instance's own MCP token (`{ token }`, null when the studio needs none): what the Instances
 * and Playtest pages copy for an outside agent instead of the studio's token. Only the studio's
 * token reaches this route (the gate takes an MCP token on the MCP path alone).
 */
export const GET = route({ params: IdParams }, async (_input, { params }) => {
  getInstance(params.id);
  return { token: instanceMcpToken(params.id) ?? null };
});
