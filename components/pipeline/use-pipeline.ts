"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { pipelineKeys } from "@/components/query-keys";
import { fetchJson } from "@/components/ui/fetch-json";
import type { JobStarted } from "@/lib/pipeline/job-runner";
import type { PipelineStages } from "@/lib/pipeline/stage-state";
import type { PipelineStage } from "@/lib/awm/types";

const JSON_HEADERS = { "content-type": "application/json" };

export function pipelineUrl(name: string, rest = ""): string {
  return `/api/environments/${encodeURIComponent(name)}/pipeline${rest}`;
}

export function useStageStates(name: string) {
  return useQuery({
    queryKey: pipelineKeys.stages(name),
    queryFn: async () => (await fetchJson<PipelineStages>(pipelineUrl(name))).stages,
  });
}

export function useRegenerate(name: string) {
  return useMutation({
    mutationFn: ({ stage, cascade }: { stage: PipelineStage; cascade: boolean }) =>
      fetchJson<JobStarted>(pipelineUrl(name, `/${stage}`), { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ cascade }) }),
  });
}

