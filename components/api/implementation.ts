import type { CodeRoute } from "@/lib/awm/code-routes";
import type { SpecEndpoint } from "@/lib/awm/types";

export type Implementation =
  | { kind: "implemented"; line: number }
  /** Implemented, but an earlier route with the same method and path takes every request. */
  | { kind: "shadowed"; line: number; shadowedBy: number }
  /** Same method and path in the code, but under another operation id (the tool name differs). */
  | { kind: "other-id"; line: number; operationId: string | undefined }
  | { kind: "missing" };

/** `/api/items/{item_id}` and `/api/items/{id}` are the same route. */
function routeShape(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, "{}").replace(/\/+$/, "")}`;
}

/** Whether the interface code implements a spec endpoint: by operation id first, else by method and path. */
export function implementationOf(endpoint: SpecEndpoint, routes: CodeRoute[]): Implementation {
  const byId = routes.find((route) => route.operationId === endpoint.operation_id);
  const shape = routeShape(endpoint.method, endpoint.path);
  if (byId) {
    const first = routes.find((route) => routeShape(route.method, route.path) === routeShape(byId.method, byId.path));
    return first && first !== byId ? { kind: "shadowed", line: byId.line, shadowedBy: first.line } : { kind: "implemented", line: byId.line };
  }
  const byPath = routes.find((route) => routeShape(route.method, route.path) === shape);
  if (byPath) return { kind: "other-id", line: byPath.line, operationId: byPath.operationId };
  return { kind: "missing" };
}

/** Code routes that no spec endpoint accounts for (by operation id or method and path). */
export function routesOutsideSpec(endpoints: SpecEndpoint[], routes: CodeRoute[]): CodeRoute[] {
  const ids = new Set(endpoints.map((e) => e.operation_id));
  const shapes = new Set(endpoints.map((e) => routeShape(e.method, e.path)));
  return routes.filter((route) => !(route.operationId !== undefined && ids.has(route.operationId)) && !shapes.has(routeShape(route.method, route.path)));
}
