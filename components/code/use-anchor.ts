"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

/**
 * One URL search parameter as state (`?table=`, `?op=`, `?task=`...), so every selection on the
 * environment page is a shareable link. Setting null removes it; history is replaced, not pushed.
 */
export function useAnchor(key: string): [string | null, (value: string | null, clear?: string[]) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const value = params.get(key);
  const setValue = useCallback(
    (next: string | null, clear: string[] = []) => {
      const updated = new URLSearchParams(window.location.search);
      if (next === null) updated.delete(key);
      else updated.set(key, next);
      for (const other of clear) updated.delete(other);
      router.replace(`${pathname}?${updated.toString()}`, { scroll: false });
    },
    [key, pathname, router],
  );
  return [value, setValue];
}
