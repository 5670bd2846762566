"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ArtifactVersionList, ArtifactVersionRecord } from "@/lib/store/environment-views";
import { fetchJson } from "@/components/ui/fetch-json";
import type { ArtifactChange, RecheckResult } from "@/lib/pipeline/edit";
import { artifactKeys, envKeys, pipelineKeys } from "@/components/query-keys";
import type { PipelineStage } from "@/lib/awm/types";

export interface ArtifactRef {
  environment: string;
  kind: PipelineStage;
  /** "" except for verifiers ("code:3"). */
  key: string;
}

function environmentUrl(environment: string, rest: string): string {
  return `/api/environments/${encodeURIComponent(environment)}${rest}`;
}

function artifactUrl({ environment, kind, key }: ArtifactRef, rest = ""): string {
  return environmentUrl(environment, `/artifacts/${kind}${rest}?${new URLSearchParams({ key })}`);
}

export function useArtifactVersions(ref: ArtifactRef) {
  return useQuery({
    queryKey: artifactKeys.versions(ref.environment, ref.kind, ref.key),
    queryFn: async () => (await fetchJson<ArtifactVersionList>(artifactUrl(ref))).versions,
  });
}

/** One stored version; `version` null loads nothing (no earlier version to compare with). */
export function useArtifactVersion(ref: ArtifactRef, version: number | null) {
  return useQuery({
    queryKey: artifactKeys.version(ref.environment, ref.kind, ref.key, version ?? 0),
    queryFn: () => fetchJson<ArtifactVersionRecord>(artifactUrl(ref, `/${version}`)),
    enabled: version !== null,
    // A stored version never changes.
    staleTime: Infinity,
  });
}

export type ArtifactChangeRequest = { action: "edit"; record: unknown } | { action: "revert"; version: number };

/** Save an edit or revert to a version: a new version, then the stage's check on it (in the answer). */
export function useArtifactChange(ref: ArtifactRef) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: ArtifactChangeRequest) =>
      fetchJson<ArtifactChange>(environmentUrl(ref.environment, "/pipeline/artifacts"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: ref.kind, key: ref.key, ...change }),
      }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: envKeys.detail(ref.environment) }),
        client.invalidateQueries({ queryKey: envKeys.list() }),
      ]),
  });
}

export function useRecheck(ref: ArtifactRef) {
  const client = useQueryClient();
  return useMutation({
    // A passing check of the current version can make its stage fresh again (recheckArtifact).
    onSuccess: (result: RecheckResult) => (result.draft ? undefined : client.invalidateQueries({ queryKey: pipelineKeys.stages(ref.environment) })),
    /** `record`: an edit not saved, checked instead of the current version. */
    mutationFn: (record?: unknown) =>
      fetchJson<RecheckResult>(environmentUrl(ref.environment, "/pipeline/recheck"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: ref.kind, key: ref.key, ...(record !== undefined && { record }) }),
      }),
  });
}
