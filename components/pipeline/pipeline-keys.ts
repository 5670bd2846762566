import { envKeys } from "@/lib/query-keys";

/** Under the environment's detail key, so invalidating the environment refreshes its pipeline too (artifact keys: artifact-editor/use-artifact.ts). */
export const pipelineKeys = {
  stages: (name: string) => [...envKeys.detail(name), "pipeline", "stages"] as const,
};

export const jobKeys = {
  all: ["pipeline-jobs"] as const,
  list: () => [...jobKeys.all, "list"] as const,
};
