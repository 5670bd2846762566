"use client";

import { useEffect, useState } from "react";
import type { z } from "zod";

/**
 * State this browser remembers between visits (localStorage under `key`): a form opens with what
 * was last set in it. What is stored is read back through `schema`; anything it does not accept (an
 * older shape, a hand-edited value) leaves `initial` standing.
 */
export function useRememberedState<T>(key: string, initial: T, schema: z.ZodType<T>): [T, (next: T) => void] {
  const [value, setValue] = useState(initial);
  // After mount only: the server renders `initial`, and the first client render must match it.
  useEffect(() => {
    try {
      const stored = window.localStorage.getItem(key);
      const remembered = stored === null ? undefined : schema.safeParse(JSON.parse(stored) as unknown);
      if (remembered?.success) setValue(remembered.data);
    } catch {
      // Storage refused (private mode) or unreadable: the form opens as new.
    }
    // `schema` is a parser, not state: the stored value is read once per key.
  }, [key]);
  const remember = (next: T) => {
    setValue(next);
    try {
      window.localStorage.setItem(key, JSON.stringify(next));
    } catch {
      // Not remembered; the value still applies now.
    }
  };
  return [value, remember];
}
