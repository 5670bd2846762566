"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import { envKeys } from "@/components/query-keys";
import type { EnvironmentCode } from "@/lib/store/environment-views";

/** The interface code and its FastAPI routes (shared by the Code and API tabs). */
export function useCode(name: string) {
  return useQuery({
    queryKey: envKeys.code(name),
    queryFn: () => fetchJson<EnvironmentCode>(`/api/environments/${encodeURIComponent(name)}/code`),
  });
}
