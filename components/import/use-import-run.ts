"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import type { ImportProgress, ImportReport } from "@/lib/library/import";
import { envKeys, importKeys } from "@/components/query-keys";
import { postEventStream } from "@/components/ui/fetch-json";

export type ImportRunState =
  | { phase: "idle" }
  | { phase: "running"; folder: string; progress?: ImportProgress }
  | { phase: "done"; report: ImportReport }
  | { phase: "failed"; error: Error };

/**
 * Runs `POST /api/imports` (or resumes an interrupted run with `POST /api/imports/{id}/resume`) and
 * follows its event stream; refreshes every environment and import query when done.
 */
export function useImportRun() {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ImportRunState>({ phase: "idle" });

  const follow = useCallback(
    async (url: string, body: unknown, folder: string) => {
      setState({ phase: "running", folder });
      try {
        let finished = false;
        await postEventStream(url, body, ({ event, data }) => {
          if (event === "progress") setState({ phase: "running", folder, progress: JSON.parse(data) as ImportProgress });
          else if (event === "report") {
            finished = true;
            setState({ phase: "done", report: JSON.parse(data) as ImportReport });
          } else if (event === "error") {
            finished = true;
            setState({ phase: "failed", error: new Error((JSON.parse(data) as { message: string }).message) });
          }
        }, "import");
        if (!finished) throw new Error("the import stream ended before its report arrived");
      } catch (error) {
        setState({ phase: "failed", error: error instanceof Error ? error : new Error(String(error)) });
      } finally {
        await Promise.all([queryClient.invalidateQueries({ queryKey: envKeys.all }), queryClient.invalidateQueries({ queryKey: importKeys.all })]);
      }
    },
    [queryClient],
  );

  const start = useCallback((folder: string) => follow("/api/imports", { folder }, folder), [follow]);
  const resume = useCallback((run: { id: string; folder: string }) => follow(`/api/imports/${encodeURIComponent(run.id)}/resume`, {}, run.folder), [follow]);

  return { state, start, resume };
}
