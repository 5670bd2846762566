import type { CodeRoute } from "./code-routes.ts";

export interface ShadowedRoute {
  route: CodeRoute;
  /** The earlier route that receives this route's requests. */
  by: CodeRoute;
  /** True when both have the very same method and path, false when a path parameter of `by` matches. */
  exact: boolean;
}

/**
 * Starlette tries routes in definition order and the first full match wins, so a later route with
 * the same method is unreachable when an earlier path equals it or its pattern matches it
 * (GET /items/{id} before GET /items/search).
 */
export function findShadowedRoutes(routes: CodeRoute[]): ShadowedRoute[] {
  const shadowed: ShadowedRoute[] = [];
  const patterns = routes.map((route) => pathPattern(route.path));
  routes.forEach((route, i) => {
    for (let j = 0; j < i; j++) {
      const earlier = routes[j]!;
      if (earlier.method !== route.method) continue;
      const exact = earlier.path === route.path;
      if (exact || patterns[j]!.test(route.path)) {
        shadowed.push({ route, by: earlier, exact });
        return;
      }
    }
  });
  return shadowed;
}

const CONVERTOR_PATTERNS: Record<string, string> = { str: "[^/]+", path: ".*", int: "[0-9]+", float: "[0-9]+(?:\\.[0-9]+)?", uuid: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" };

/** Starlette's path template → RegExp; a later route's own `{param}` text is matched literally. */
function pathPattern(path: string): RegExp {
  let source = "";
  let last = 0;
  for (const param of path.matchAll(/\{([A-Za-z_]\w*)(?::(\w+))?\}/g)) {
    source += escapeRegExp(path.slice(last, param.index)) + (CONVERTOR_PATTERNS[param[2] ?? "str"] ?? "[^/]+");
    last = param.index + param[0].length;
  }
  return new RegExp(`^${source}${escapeRegExp(path.slice(last))}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
