/**
 * AWM logs may name a tool with the MCP client's prefixes
 * (`mcp_tool_mcp_server_create_campaign_update` for `create_campaign_update`).
 */

/** Prefixes seen in agent logs, stripped repeatedly when no known tool name matches. */
const KNOWN_PREFIXES = [/^mcp_tool_/, /^mcp_server_/, /^mcp__[a-z0-9-]+__/i, /^functions[.:]/, /^tools[.:]/];

/**
 * The environment tool a logged name refers to: the name itself when the environment has it, else
 * the longest environment tool the name ends with after a separator, else the name without its
 * known prefixes.
 */
export function resolveToolName(logged: string, environmentTools: ReadonlySet<string>): string {
  if (environmentTools.has(logged)) return logged;
  let best: string | undefined;
  for (const tool of environmentTools) {
    if (logged.length > tool.length && logged.endsWith(tool) && /[_.:/]$/.test(logged.slice(0, -tool.length))) {
      if (!best || tool.length > best.length) best = tool;
    }
  }
  return best ?? stripKnownPrefixes(logged);
}

export function stripKnownPrefixes(name: string): string {
  let current = name;
  for (let changed = true; changed; ) {
    changed = false;
    for (const prefix of KNOWN_PREFIXES) {
      const next = current.replace(prefix, "");
      if (next !== current && next !== "") {
        current = next;
        changed = true;
      }
    }
  }
  return current;
}
