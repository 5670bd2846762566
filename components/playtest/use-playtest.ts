"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { InstanceInfo } from "@/lib/instances/manager";
import type { PlaytestRestartResult } from "@/lib/playtest/restart";
import type { PlaytestCallResult, PlaytestFinishResult, PlaytestStepResult } from "@/lib/playtest/session";
import type { PlaytestView } from "@/lib/playtest/view";
import type { ArgumentsRequest } from "@/components/schema-form/use-schema-form";
import { fetchJson } from "@/components/ui/fetch-json";
import { parseExactJson } from "@/lib/json/exact-json";
import { playtestKeys } from "@/components/query-keys";

/** How often a running instance's status is checked, so a crash shows without a click. */
const STATUS_POLL_MS = 4_000;

export interface PlaytestIds {
  trajectoryId: string;
  instanceId: string;
}

export function usePlaytestView({ trajectoryId, instanceId }: PlaytestIds) {
  return useQuery({
    queryKey: playtestKeys.session(trajectoryId, instanceId),
    queryFn: () => fetchJson<PlaytestView>(`/api/playtest/${encodeURIComponent(trajectoryId)}?instance=${encodeURIComponent(instanceId)}`, undefined, parseExactJson),
    staleTime: Infinity,
  });
}

/** The instance's live status, polled while it runs. */
export function useInstanceStatus(instanceId: string, initial: InstanceInfo | null) {
  return useQuery({
    queryKey: playtestKeys.instance(instanceId),
    queryFn: () => fetchJson<InstanceInfo>(`/api/instances/${encodeURIComponent(instanceId)}`),
    enabled: initial !== null,
    initialData: initial ?? undefined,
    refetchInterval: (query) => (query.state.data?.status === "running" ? STATUS_POLL_MS : false),
  });
}

/** Playtest answers keep every digit of their numbers (arguments as typed, responses as sent). */
function post<T>(url: string, body: unknown): Promise<T> {
  return fetchJson<T>(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, parseExactJson);
}

export function usePlaytestActions({ trajectoryId, instanceId }: PlaytestIds) {
  const client = useQueryClient();
  const base = `/api/playtest/${encodeURIComponent(trajectoryId)}`;
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: playtestKeys.session(trajectoryId, instanceId) }), client.invalidateQueries({ queryKey: playtestKeys.instance(instanceId) })]);
  const call = useMutation({
    mutationFn: (input: { tool: string } & ArgumentsRequest) => post<PlaytestCallResult>(`${base}/call`, { instance: instanceId, ...input }),
    onSettled: refresh,
  });
  const reset = useMutation({
    mutationFn: () => post<PlaytestStepResult>(`${base}/reset`, { instance: instanceId }),
    onSettled: refresh,
  });
  const finish = useMutation({
    mutationFn: (finalAnswer: string) => post<PlaytestFinishResult>(`${base}/finish`, { instance: instanceId, finalAnswer }),
    onSettled: refresh,
  });
  /** Replays the steps onto a fresh instance; the caller moves the page to it. */
  const restart = useMutation({
    mutationFn: () => post<PlaytestRestartResult>(`${base}/restart`, { instance: instanceId }),
  });
  return { call, reset, finish, restart };
}

/** Reloads the playtest when the instance's activity (status, last call) moves on: something outside recorded a step or finished. */
export function useRefreshOnActivity({ trajectoryId, instanceId }: PlaytestIds, activity: string | undefined) {
  const client = useQueryClient();
  const seen = useRef(activity);
  useEffect(() => {
    if (activity === seen.current) return;
    seen.current = activity;
    void client.invalidateQueries({ queryKey: playtestKeys.session(trajectoryId, instanceId) });
  }, [client, activity, trajectoryId, instanceId]);
}
