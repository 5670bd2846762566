"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { ConnectionTest } from "@/lib/llm/test-connection";
import type { LlmRole, LlmSettingsPatch, LlmSettingsView } from "@/lib/llm/settings";
import type { RuntimeStatus } from "@/lib/runtime/runtime-status";
import { settingsKeys } from "@/components/query-keys";

export function useLlmSettings() {
  return useQuery({ queryKey: settingsKeys.llm(), queryFn: () => fetchJson<LlmSettingsView>("/api/settings") });
}

export type LlmReadiness = { ready: true; model: string } | { ready: false; reason: string };

/** Whether `role` can reach a model, by the same rule the server applies before a call (resolveLlmTarget). */
export function useLlmReadiness(role: LlmRole): LlmReadiness | undefined {
  const settings = useLlmSettings();
  if (!settings.data) return undefined;
  const { baseUrl, apiKey, models } = settings.data;
  if (!baseUrl.value && !apiKey.set) return { ready: false, reason: `No LLM is configured: set ${baseUrl.env} (any OpenAI-compatible endpoint) and/or ${apiKey.env}.` };
  if (!models[role].value) return { ready: false, reason: `No model is chosen for the ${role} role: set ${models[role].env} or choose one in Settings.` };
  return { ready: true, model: models[role].value };
}

export function useSaveLlmSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: LlmSettingsPatch) =>
      fetchJson<LlmSettingsView>("/api/settings", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(patch) }),
    onSuccess: (view) => client.setQueryData(settingsKeys.llm(), view),
  });
}

export function useTestConnection() {
  return useMutation({
    mutationFn: (role: LlmRole) =>
      fetchJson<ConnectionTest>("/api/settings/test", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ role }) }),
  });
}

export function useRuntimeStatus() {
  return useQuery({ queryKey: settingsKeys.runtime(), queryFn: () => fetchJson<RuntimeStatus>("/api/runtime") });
}
