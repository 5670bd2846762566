export const datasetKeys = {
  all: ["datasets"] as const,
  summary: (query: Record<string, string>) => [...datasetKeys.all, "summary", query] as const,
};
