/**
 * React Query keys, the browser's one key module: one factory per concern. Every key starts with
 * its concern's `all` prefix, so `invalidateQueries({ queryKey: envKeys.all })` refreshes
 * everything about environments and `envKeys.detail(name)` everything about one environment
 * (its pipeline and artifacts included: their keys sit under the detail key).
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

/** Under the environment's detail key, so invalidating the environment refreshes its pipeline too. */
export const pipelineKeys = {
  stages: (name: string) => [...envKeys.detail(name), "pipeline", "stages"] as const,
};

/** Under the environment's detail key, so invalidating the environment refreshes its artifacts too. */
export const artifactKeys = {
  artifact: (name: string, kind: string, key: string) => [...envKeys.detail(name), "pipeline", "artifact", kind, key] as const,
  versions: (name: string, kind: string, key: string) => [...artifactKeys.artifact(name, kind, key), "versions"] as const,
  version: (name: string, kind: string, key: string, version: number) => [...artifactKeys.artifact(name, kind, key), "version", version] as const,
};

export const jobKeys = {
  all: ["pipeline-jobs"] as const,
  list: () => [...jobKeys.all, "list"] as const,
};

export const importKeys = {
  all: ["imports"] as const,
  defaults: () => [...importKeys.all, "defaults"] as const,
  runs: () => [...importKeys.all, "runs"] as const,
};

export const datasetKeys = {
  all: ["datasets"] as const,
  summary: (query: Record<string, string>) => [...datasetKeys.all, "summary", query] as const,
  selection: (id: string) => [...datasetKeys.all, "selection", id] as const,
};

export const instanceKeys = {
  all: ["instances"] as const,
  list: () => [...instanceKeys.all, "list"] as const,
  mcpToken: (id: string) => [...instanceKeys.all, "mcp-token", id] as const,
};

export const llmCallKeys = {
  all: ["llm-calls"] as const,
  list: (filters: Record<string, string>) => [...llmCallKeys.all, "list", filters] as const,
  stages: () => [...llmCallKeys.all, "stages"] as const,
  detail: (id: string) => [...llmCallKeys.all, "detail", id] as const,
};

export const settingsKeys = {
  all: ["settings"] as const,
  llm: () => [...settingsKeys.all, "llm"] as const,
  runtime: () => [...settingsKeys.all, "runtime"] as const,
};

/** Invalidate by prefix (`trajectoryKeys.all`, `trajectoryKeys.detail(id)`). */
export const trajectoryKeys = {
  all: ["trajectories"] as const,
  list: (filters: Record<string, string>) => [...trajectoryKeys.all, "list", filters] as const,
  detail: (id: string) => [...trajectoryKeys.all, "detail", id] as const,
  /** Under the detail's key, so a replay's invalidation reloads the steps' diffs too. */
  step: (id: string, ordinal: number) => [...trajectoryKeys.detail(id), "step", ordinal] as const,
};

export const rolloutKeys = {
  all: ["rollouts"] as const,
  results: (jobId: string) => [...rolloutKeys.all, jobId] as const,
};

export const playtestKeys = {
  all: ["playtest"] as const,
  session: (trajectoryId: string, instanceId: string) => [...playtestKeys.all, trajectoryId, instanceId] as const,
  instance: (instanceId: string) => [...playtestKeys.all, "instance", instanceId] as const,
};
