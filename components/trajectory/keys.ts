/** React Query keys for trajectories; invalidate by prefix (`trajectoryKeys.all`, `trajectoryKeys.detail(id)`). */
export const trajectoryKeys = {
  all: ["trajectories"] as const,
  list: (filters: Record<string, string>) => [...trajectoryKeys.all, "list", filters] as const,
  detail: (id: string) => [...trajectoryKeys.all, "detail", id] as const,
};
