"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { DatabaseDescription } from "@/lib/seeddb/environment-database";
import { envKeys } from "@/components/query-keys";

/** The seed database's tables, broken tables and failed INSERTs (shared by the Schema and Data tabs). */
export function useDatabase(name: string) {
  return useQuery({
    queryKey: envKeys.schema(name),
    queryFn: () => fetchJson<DatabaseDescription>(`/api/environments/${encodeURIComponent(name)}/schema`),
  });
}
