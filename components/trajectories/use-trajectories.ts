"use client";

import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { VerifierMode } from "@/lib/awm/types";
import type { ImportedRunReport } from "@/lib/trajectories/import-and-replay";
import type { StepView, TrajectoryList, VerdictView } from "@/lib/trajectories/store";
import type { TrajectoryView } from "@/lib/verify/trajectory-view";
import { inPlay } from "@/lib/trajectories/in-play";
import { fetchJson } from "@/components/ui/fetch-json";
import { trajectoryKeys } from "@/components/query-keys";

/** Filters as URL query parameters; empty values are left out. */
export function useTrajectoryList(filters: Record<string, string>) {
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== "")).toString();
  return useQuery({
    queryKey: trajectoryKeys.list(filters),
    queryFn: () => fetchJson<TrajectoryList>(`/api/trajectories${query ? `?${query}` : ""}`),
  });
}

/** A run still in play (an agent run, a playtest or outside agent's episode) is read again every PLAYING_REFRESH_MS, so its steps and ending show as they come. */
const PLAYING_REFRESH_MS = 2_000;

/** The trajectory with step outlines and the judging it offers; `initialData` is what the server rendered the page with. */
export function useTrajectory(id: string | undefined, initialData?: TrajectoryView) {
  return useQuery({
    queryKey: trajectoryKeys.detail(id ?? ""),
    queryFn: () => fetchJson<TrajectoryView>(`/api/trajectories/${encodeURIComponent(id!)}`),
    enabled: Boolean(id),
    initialData,
    // A read that failed (the run was deleted, the studio is down) stops the refreshing.
    refetchInterval: (query) => (query.state.status !== "error" && query.state.data && inPlay(query.state.data) ? PLAYING_REFRESH_MS : false),
  });
}

function stepQuery(id: string, ordinal: number) {
  return queryOptions({
    queryKey: trajectoryKeys.step(id, ordinal),
    queryFn: () => fetchJson<StepView>(`/api/trajectories/${encodeURIComponent(id)}/steps/${ordinal}`),
  });
}

/**
 * One step with its diffs; `initialData` only applies when it is that step. A playing agent's step
 * is recorded before its diff: once the outline (`changedRows`, read again while it plays) has the
 * diff and this copy does not, the step is read again.
 */
export function useTrajectoryStep(id: string, step: { ordinal: number; changedRows: number | null } | undefined, initialData?: StepView) {
  const query = useQuery({
    ...stepQuery(id, step?.ordinal ?? -1),
    enabled: step !== undefined,
    initialData: initialData && initialData.ordinal === step?.ordinal ? initialData : undefined,
  });
  const behind = step?.changedRows != null && query.data !== undefined && query.data.diff === null;
  const { refetch } = query;
  useEffect(() => {
    if (behind) void refetch();
  }, [behind, refetch]);
  return query;
}

/** Loads the diffs of the steps either side of the selected one, so ←/→ shows them without a wait. */
export function usePrefetchNeighbourSteps(id: string, previous: number | undefined, next: number | undefined) {
  const client = useQueryClient();
  useEffect(() => {
    for (const ordinal of [previous, next]) if (ordinal !== undefined) void client.prefetchQuery(stepQuery(id, ordinal));
  }, [client, id, previous, next]);
}

export function useVerifyTrajectory(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mode: VerifierMode) =>
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
        return fetchJson<ImportedRunReport>("/api/trajectories/import", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ folder: input.folder, scenario: input.scenario || undefined }),
        });
      }
      const form = new FormData();
      for (const file of input.files) form.append("files", file, file.name);
      if (input.scenario) form.append("scenario", input.scenario);
      return fetchJson<ImportedRunReport>("/api/trajectories/import", { method: "POST", body: form });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: trajectoryKeys.all }),
  });
}
