"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { CodeRoute } from "@/lib/awm/code-routes";
import { envKeys } from "@/lib/query-keys";

export interface CodeAnswer {
  code: string | null;
  version: number | null;
  source: { file: string; line: number } | null;
  routes: CodeRoute[];
}

/** The interface code and its FastAPI routes (shared by the Code and API tabs). */
export function useCode(name: string) {
  return useQuery({
    queryKey: envKeys.code(name),
    queryFn: () => fetchJson<CodeAnswer>(`/api/environments/${encodeURIComponent(name)}/code`),
  });
}
