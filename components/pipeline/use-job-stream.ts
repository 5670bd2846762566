"use client";

import { useEffect, useRef, useState } from "react";
import type { JobProgress } from "@/lib/pipeline/progress";

export interface JobStream {
  progress: JobProgress | null;
  /** The stream's own failure (the server's `error` event or a lost connection). */
  error: string | null;
  /** The connection dropped (the studio stopped, say) and the browser is trying it again: what is shown may be old. */
  reconnecting: boolean;
}

/**
 * Follows a job over server-sent events (EventSource on /api/pipeline/jobs/<id>/events): every
 * `attempt` and `progress` calls `onChange`, `done` closes the stream and calls `onDone`.
 */
export function useJobStream(jobId: string | null, handlers: { onChange: () => void; onDone: (progress: JobProgress) => void }): JobStream {
  const [stream, setStream] = useState<JobStream>({ progress: null, error: null, reconnecting: false });
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!jobId) return;
    setStream({ progress: null, error: null, reconnecting: false });
    const source = new EventSource(`/api/pipeline/jobs/${encodeURIComponent(jobId)}/events`);
    const read = (event: Event) => JSON.parse((event as MessageEvent<string>).data) as unknown;
    source.addEventListener("progress", (event) => {
      setStream({ progress: read(event) as JobProgress, error: null, reconnecting: false });
      latest.current.onChange();
    });
    source.addEventListener("attempt", () => latest.current.onChange());
    source.addEventListener("done", (event) => {
      source.close();
      const progress = read(event) as JobProgress;
      setStream({ progress, error: null, reconnecting: false });
      latest.current.onDone(progress);
    });
    source.addEventListener("error", (event) => {
      // A named `error` event from the server carries its message; a bare one is the connection.
      const message = event instanceof MessageEvent && typeof event.data === "string" ? (read(event) as { message: string }).message : null;
      if (message !== null || source.readyState === EventSource.CLOSED) {
        source.close();
        setStream((current) => ({ ...current, error: message ?? `lost the event stream of job ${jobId}`, reconnecting: false }));
      } else {
        setStream((current) => ({ ...current, reconnecting: true }));
      }
    });
    return () => source.close();
  }, [jobId]);

  return stream;
}
