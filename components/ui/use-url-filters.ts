"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";

/**
 * A list page's filters, kept in the URL: a link can open the list filtered, and a reload or Back
 * keeps them. What is typed is held here first, so no keystroke waits for the URL; a URL changed
 * from outside (a link, Back) sets them again. `empty` names every filter, with "" for unset.
 * The page must sit in a Suspense boundary (useSearchParams).
 */
export function useUrlFilters<F extends Record<string, string>>(empty: F): [F, (next: F) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filtersOf = (from: URLSearchParams) => Object.fromEntries(Object.keys(empty).map((key) => [key, from.get(key) ?? ""])) as F;
  // `written`: the query the last change asked for; `before`: the URL's until it catches up, then
  // null, so a link back to that query later is read from the URL, not from what was typed.
  const [state, setState] = useState<{ filters: F; written: string; before: string | null }>(() => ({ filters: filtersOf(params), written: params.toString(), before: null }));
  const query = params.toString();
  if (state.before !== null && query === state.written) setState({ ...state, before: null });
  const filters = query === state.written || query === state.before ? state.filters : filtersOf(params);
  const setFilters = (next: F) => {
    const nextQuery = new URLSearchParams(Object.entries(next).filter(([, value]) => value !== "")).toString();
    setState({ filters: next, written: nextQuery, before: query });
    router.replace(nextQuery ? `${pathname}?${nextQuery}` : pathname, { scroll: false });
  };
  return [filters, setFilters];
}
