"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import { envKeys } from "@/components/query-keys";
import type { EnvironmentSpec } from "@/lib/store/environment-views";

export function useSpec(name: string) {
  return useQuery({
    queryKey: envKeys.spec(name),
    queryFn: () => fetchJson<EnvironmentSpec>(`/api/environments/${encodeURIComponent(name)}/spec`),
  });
}
