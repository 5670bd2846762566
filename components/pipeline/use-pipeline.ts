"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { pipelineKeys, settingsKeys } from "@/components/query-keys";
import { fetchJson } from "@/components/ui/fetch-json";
import type { LlmSettingsView } from "@/lib/llm/settings";
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

export type LlmReadiness = { ready: true; model: string } | { ready: false; reason: string };

/** Whether the generator role can reach a model, by the same rule the server applies before a call. */
export function useGeneratorReadiness(): LlmReadiness | undefined {
  const settings = useQuery({ queryKey: settingsKeys.llm(), queryFn: () => fetchJson<LlmSettingsView>("/api/settings") });
  if (!settings.data) return undefined;
  const { baseUrl, apiKey, models } = settings.data;
  if (!baseUrl.value && !apiKey.set) return { ready: false, reason: `No LLM is configured: set ${baseUrl.env} (any OpenAI-compatible endpoint) and/or ${apiKey.env}.` };
  if (!models.generator.value) return { ready: false, reason: `No model is chosen for the generator role: set ${models.generator.env}.` };
  return { ready: true, model: models.generator.value };
}
