import type { CodeRoute } from "@/lib/awm/code-routes";

/**
 * Why each route is a duplicate, by index: another route with the same method and path (FastAPI
 * serves only the first) or the same operation id (two tools with one name).
 */
export function routeDuplicates(routes: CodeRoute[]): Map<number, string> {
  const reasons = new Map<number, string>();
  const mark = (key: (route: CodeRoute) => string | undefined, reason: (route: CodeRoute) => string) => {
    const groups = new Map<string, number[]>();
    routes.forEach((route, i) => {
      const k = key(route);
      if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), i]);
    });
    for (const indexes of groups.values()) {
      if (indexes.length < 2) continue;
      for (const i of indexes) {
        const others = indexes.filter((j) => j !== i).map((j) => routes[j]!.line);
        const text = `${reason(routes[i]!)} (also line ${others.join(", ")})`;
        reasons.set(i, reasons.has(i) ? `${reasons.get(i)}; ${text}` : text);
      }
    }
  };
  mark((r) => `${r.method} ${r.path}`, (r) => `duplicate route ${r.method} ${r.path}`);
  mark((r) => r.operationId, (r) => `duplicate operation id ${r.operationId}`);
  return reasons;
}
