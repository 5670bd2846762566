import { envKeys } from "@/lib/query-keys";

/** Under the environment's detail key, so invalidating the environment refreshes its pipeline too. */
export const pipelineKeys = {
  stages: (name: string) => [...envKeys.detail(name), "pipeline", "stages"] as const,
  artifact: (name: string, kind: string, key: string) => [...envKeys.detail(name), "pipeline", "artifact", kind, key] as const,
  versions: (name: string, kind: string, key: string) => [...pipelineKeys.artifact(name, kind, key), "versions"] as const,
  version: (name: string, kind: string, key: string, version: number) => [...pipelineKeys.artifact(name, kind, key), "version", version] as const,
};

export const jobKeys = {
  all: ["pipeline-jobs"] as const,
  list: () => [...jobKeys.all, "list"] as const,
};
