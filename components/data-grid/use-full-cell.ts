"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { FullCell } from "@/lib/seeddb/cell";
import { envKeys } from "@/components/query-keys";

export interface CellSource {
  name: string;
  table: string;
  rowid: number;
  column: string;
}

/** One whole seed-table cell (capped by the server at FullCell.cap), fetched once `enabled`. */
export function useFullCell(source: CellSource | undefined, enabled: boolean) {
  return useQuery({
    queryKey: source ? envKeys.cell(source.name, source.table, source.rowid, source.column) : ["cell", "none"],
    queryFn: () => {
      const { name, table, rowid, column } = source!;
      const search = new URLSearchParams({ rowid: String(rowid), column });
      return fetchJson<FullCell>(`/api/environments/${encodeURIComponent(name)}/tables/${encodeURIComponent(table)}/cell?${search.toString()}`);
    },
    enabled: enabled && source !== undefined,
    staleTime: Infinity,
  });
}
