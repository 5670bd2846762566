"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { VerifierMode } from "@/lib/awm/types";
import { envKeys } from "@/lib/query-keys";

export interface VerifierEntry {
  key: string;
  mode: VerifierMode;
  taskIdx: number;
  version: number;
  /** The task text the verifier record carries (may differ from the current task list). */
  task: string;
  code: string;
}

export interface VerifiersAnswer {
  tasks: string[];
  verifiers: VerifierEntry[];
}

export function useVerifiers(name: string) {
  return useQuery({
    queryKey: envKeys.verifiers(name),
    queryFn: () => fetchJson<VerifiersAnswer>(`/api/environments/${encodeURIComponent(name)}/verifiers`),
  });
}
