/**
 * A token good for one instance's MCP endpoint only: what the studio hands an outside agent with an
 * episode's MCP URL, so the agent (driven by a model, fed hostile tool output) cannot use it to
 * change Settings, import a folder of the server's disk or delete runs, as the studio's own token can.
 * Derived from the studio's token (an HMAC of the instance id), so nothing is stored and it dies
 * with a new studio token.
 */
import crypto from "node:crypto";
import { accessConfig } from "./access-config.ts";
import { readStudioToken } from "./studio-token.ts";

export function mcpToken(studioToken: string, instanceId: string): string {
  return crypto.createHmac("sha256", studioToken).update(`mcp:${instanceId}`).digest("base64url");
}

/** The MCP token of an instance of this studio, or undefined when the studio needs no token. */
export function instanceMcpToken(instanceId: string): string | undefined {
  const access = accessConfig();
  const studioToken = access.authRequired ? readStudioToken(access.tokenFile) : undefined;
  return studioToken && mcpToken(studioToken, instanceId);
}

/** The instance id of an MCP endpoint path (`/api/instances/{id}/mcp`), or undefined for any other path. */
export function mcpPathInstance(pathname: string): string | undefined {
  return /^\/api\/instances\/([^/]+)\/mcp\/?$/.exec(pathname)?.[1];
}
