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
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  } finally {
    stop();
  }
}
