"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DbDiff } from "@/lib/diff/sqlite-diff";
import type { ImportedRun } from "@/lib/trajectories/import-run";
import type { TrajectoryDetail, TrajectorySummary, VerdictMode, VerdictView } from "@/lib/trajectories/store";
import { fetchJson } from "@/components/ui/fetch-json";
import { trajectoryKeys } from "./keys";

export interface ImportRunResponse extends ImportedRun {
  replay: { status: string; diverged: boolean; replayedCalls: number; finalDiff: DbDiff; error?: string };
}

/** Filters as URL query parameters; empty values are left out. */
export function useTrajectoryList(filters: Record<string, string>) {
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== "")).toString();
  return useQuery({
    queryKey: trajectoryKeys.list(filters),
    queryFn: () => fetchJson<{ trajectories: TrajectorySummary[] }>(`/api/trajectories${query ? `?${query}` : ""}`),
  });
}

export function useTrajectory(id: string | undefined) {
  return useQuery({
    queryKey: trajectoryKeys.detail(id ?? ""),
    queryFn: () => fetchJson<TrajectoryDetail>(`/api/trajectories/${encodeURIComponent(id!)}`),
    enabled: Boolean(id),
  });
}

export function useVerifyTrajectory(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mode: VerdictMode) =>
      fetchJson<VerdictView>(`/api/trajectories/${encodeURIComponent(id)}/verify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ mode }),
      }),
    onSettled: () => client.invalidateQueries({ queryKey: trajectoryKeys.all }),
  });
}

export function useReplayTrajectory(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson<unknown>(`/api/trajectories/${encodeURIComponent(id)}/replay`, { method: "POST" }),
    onSettled: () => client.invalidateQueries({ queryKey: trajectoryKeys.all }),
  });
}

/** Either uploaded files of a run folder or the path of a folder on the server. */
export type ImportRunInput = { files: File[]; scenario?: string } | { folder: string; scenario?: string };

export function useImportRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ImportRunInput) => {
      if ("folder" in input) {
        return fetchJson<ImportRunResponse>("/api/trajectories/import", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ folder: input.folder, scenario: input.scenario || undefined }),
        });
      }
      const form = new FormData();
      for (const file of input.files) form.append("files", file, file.name);
      if (input.scenario) form.append("scenario", input.scenario);
      return fetchJson<ImportRunResponse>("/api/trajectories/import", { method: "POST", body: form });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: trajectoryKeys.all }),
  });
}
