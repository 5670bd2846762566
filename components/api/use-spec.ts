"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { SpecRecord } from "@/lib/awm/types";
import { envKeys } from "@/lib/query-keys";

export interface SpecAnswer {
  spec: SpecRecord | null;
  version: number | null;
}

export function useSpec(name: string) {
  return useQuery({
    queryKey: envKeys.spec(name),
    queryFn: () => fetchJson<SpecAnswer>(`/api/environments/${encodeURIComponent(name)}/spec`),
  });
}
