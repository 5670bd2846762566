"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { BrowsePage } from "@/lib/seeddb/browse";
import { envKeys } from "@/components/query-keys";

export interface TablePageParams {
  page: number;
  pageSize: number;
  sort?: string;
  dir?: "asc" | "desc";
  filter?: string;
  columnFilters: Record<string, string>;
}

export function tablePageUrl(name: string, table: string, params: TablePageParams): string {
  const search = new URLSearchParams({ page: String(params.page), pageSize: String(params.pageSize) });
  if (params.sort) search.set("sort", params.sort);
  if (params.dir) search.set("dir", params.dir);
  if (params.filter) search.set("filter", params.filter);
  for (const [column, text] of Object.entries(params.columnFilters)) if (text) search.set(`col.${column}`, text);
  return `/api/environments/${encodeURIComponent(name)}/tables/${encodeURIComponent(table)}?${search.toString()}`;
}

/** One page of a seed table; the previous page stays on screen while the next one loads. */
export function useTablePage(name: string, table: string, params: TablePageParams) {
  return useQuery({
    queryKey: envKeys.table(name, table, { ...params }),
    queryFn: () => fetchJson<BrowsePage>(tablePageUrl(name, table, params)),
    placeholderData: keepPreviousData,
  });
}
