"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import { envKeys } from "@/components/query-keys";
import type { EnvironmentVerifiers } from "@/lib/store/environment-views";

export function useVerifiers(name: string) {
  return useQuery({
    queryKey: envKeys.verifiers(name),
    queryFn: () => fetchJson<EnvironmentVerifiers>(`/api/environments/${encodeURIComponent(name)}/verifiers`),
  });
}
