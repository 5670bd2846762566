/**
 * React Query keys, one factory per concern. Every key starts with its concern's `all` prefix,
 * so `invalidateQueries({ queryKey: envKeys.all })` refreshes everything about environments and
 * `envKeys.detail(name)` everything about one environment.
 */

export const envKeys = {
  all: ["environments"] as const,
  list: () => [...envKeys.all, "list"] as const,
  taskStatusCounts: () => [...envKeys.all, "task-status-counts"] as const,
  detail: (name: string) => [...envKeys.all, "detail", name] as const,
  schema: (name: string) => [...envKeys.detail(name), "schema"] as const,
  table: (name: string, table: string, params: Record<string, unknown> = {}) =>
    [...envKeys.detail(name), "table", table, params] as const,
  cell: (name: string, table: string, rowid: number, column: string) => [...envKeys.detail(name), "cell", table, rowid, column] as const,
  spec: (name: string) => [...envKeys.detail(name), "spec"] as const,
  code: (name: string) => [...envKeys.detail(name), "code"] as const,
  verifiers: (name: string) => [...envKeys.detail(name), "verifiers"] as const,
  taskStatus: (name: string) => [...envKeys.detail(name), "task-status"] as const,
};

export const importKeys = {
  all: ["imports"] as const,
  defaults: () => [...importKeys.all, "defaults"] as const,
  runs: () => [...importKeys.all, "runs"] as const,
};
