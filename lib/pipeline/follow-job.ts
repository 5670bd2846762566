import { onStageEvent } from "./job-runner.ts";
import { jobProgress, type JobProgress } from "./progress.ts";

const POLL_MS = 1_000;

/**
 * Streams a job to `send` until it is no longer running or `signal` aborts, starting from the
 * progress the caller read (`existingJobProgress`): every attempt this process runs as `attempt`,
 * the progress every POLL_MS as `progress`, and the end as `done`.
 */
export async function followJob(first: JobProgress, send: (event: string, data: unknown) => void, signal: AbortSignal): Promise<void> {
  const jobId = first.id;
  const stop = onStageEvent((id, event) => {
    if (id === jobId) send("attempt", event);
  });
  try {
    for (let progress: JobProgress | undefined = first; !signal.aborted; progress = await jobProgress(jobId)) {
      if (!progress) throw new Error(`job ${jobId} disappeared`);
      if (progress.status !== "running" && progress.status !== "queued") {
        send("done", progress);
        return;
      }
      send("progress", progress);
      await pause(POLL_MS, signal);
    }
  } finally {
    stop();
  }
}

/** Waits `ms`, or less when `signal` aborts; the abort listener goes with the wait (one per poll piled up). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
