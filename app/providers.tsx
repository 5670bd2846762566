"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { FetchError } from "@/components/ui/fetch-json";

/** Once more for a network hiccup or a server error; never for an answer that will not change (no such job: 404, a refused request: 4xx). */
function retry(failures: number, error: unknown): boolean {
  const refused = error instanceof FetchError && error.status >= 400 && error.status < 500;
  return !refused && failures < 1;
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry } },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
