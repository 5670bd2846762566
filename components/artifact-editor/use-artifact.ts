"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ArtifactVersionRecord } from "@/app/api/environments/[name]/artifacts/[kind]/[version]/route";
import type { ArtifactVersionList } from "@/app/api/environments/[name]/artifacts/[kind]/route";
import { pipelineKeys } from "@/components/pipeline/pipeline-keys";
import { pipelineUrl } from "@/components/pipeline/use-pipeline";
import { fetchJson } from "@/components/ui/fetch-json";
import type { ArtifactChange } from "@/lib/pipeline/edit";
import { envKeys } from "@/lib/query-keys";
import type { ArtifactKind } from "@/lib/store/artifacts";

export interface ArtifactRef {
  environment: string;
  kind: ArtifactKind;
  /** "" except for verifiers ("code:3"). */
  key: string;
}

function artifactUrl({ environment, kind, key }: ArtifactRef, rest = ""): string {
  return `/api/environments/${encodeURIComponent(environment)}/artifacts/${kind}${rest}?${new URLSearchParams({ key })}`;
}

export function useArtifactVersions(ref: ArtifactRef) {
  return useQuery({
    queryKey: pipelineKeys.versions(ref.environment, ref.kind, ref.key),
    queryFn: async () => (await fetchJson<ArtifactVersionList>(artifactUrl(ref))).versions,
  });
}

/** One stored version; `version` null loads nothing (no earlier version to compare with). */
export function useArtifactVersion(ref: ArtifactRef, version: number | null) {
  return useQuery({
    queryKey: pipelineKeys.version(ref.environment, ref.kind, ref.key, version ?? 0),
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
      fetchJson<ArtifactChange>(pipelineUrl(ref.environment, "/artifacts"), {
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
  return useMutation({
    mutationFn: () =>
      fetchJson<ArtifactChange["check"] & { version: number }>(pipelineUrl(ref.environment, "/recheck"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: ref.kind, key: ref.key }),
      }),
  });
}
