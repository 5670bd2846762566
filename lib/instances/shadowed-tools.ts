/**
 * Catalog defects visible only in the code: when two handlers share a method and path, FastAPI's
 * OpenAPI document keeps the later operation, but requests reach the earlier handler. The tool the
 * catalog shows is then served by a different function than its description says.
 */
import { parseFastApiRoutes, type CodeRoute } from "../awm/code-routes.ts";
import type { Tool } from "../runtime/tool-catalog.ts";

export interface CatalogTool extends Tool {
  /** operationId of the earlier handler that answers this tool's requests. */
  shadowedBy?: string;
  warning?: string;
}

export function markShadowedTools(tools: Tool[], code: string): CatalogTool[] {
  const firstHandler = new Map<string, CodeRoute>();
  const handlersPerRoute = new Map<string, CodeRoute[]>();
  for (const route of parseFastApiRoutes(code)) {
    const key = routeKey(route.method, route.path);
    if (!firstHandler.has(key)) firstHandler.set(key, route);
    handlersPerRoute.set(key, [...(handlersPerRoute.get(key) ?? []), route]);
  }
  return tools.map((tool) => {
    const key = routeKey(tool.method, tool.path);
    const winner = firstHandler.get(key);
    const handlers = handlersPerRoute.get(key) ?? [];
    const own = handlers.find((route) => route.operationId === tool.name);
    if (!winner || handlers.length < 2 || winner.operationId === tool.name) return tool;
    const shadowedBy = winner.operationId ?? `the handler at line ${winner.line}`;
    const ownLine = own ? ` (line ${own.line})` : "";
    return {
      ...tool,
      shadowedBy,
      warning: `${tool.method} ${tool.path} is declared ${handlers.length} times: requests reach ${shadowedBy}'s handler (line ${winner.line}), not ${tool.name}'s${ownLine}`,
    };
  });
}

function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
