"use client";

import { useEffect } from "react";

/**
 * Keeps `name=value` in the page's URL without a navigation (history.replaceState, which Next's
 * router follows), so a reload, a shared link or Back returns to what the page shows. Nothing is
 * written while `value` is undefined.
 */
export function useParamInUrl(name: string, value: string | undefined): void {
  useEffect(() => {
    if (value === undefined) return;
    const url = new URL(window.location.href);
    if (url.searchParams.get(name) === value) return;
    url.searchParams.set(name, value);
    window.history.replaceState(null, "", url);
  }, [name, value]);
}
