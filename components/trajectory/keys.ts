/** React Query keys for trajectories; invalidate by prefix (`trajectoryKeys.all`, `trajectoryKeys.detail(id)`). */
export const trajectoryKeys = {
  all: ["trajectories"] as const,
  list: (filters: Record<string, string>) => [...trajectoryKeys.all, "list", filters] as const,
  detail: (id: string) => [...trajectoryKeys.all, "detail", id] as const,
  /** Under the detail's key, so a replay's invalidation reloads the steps' diffs too. */
  step: (id: string, ordinal: number) => [...trajectoryKeys.detail(id), "step", ordinal] as const,
};
