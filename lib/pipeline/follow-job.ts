import { onStageEvent } from "./job-runner.ts";
import { jobProgress } from "./progress.ts";

const POLL_MS = 1_000;

/**
 * Streams a job to `send` until it is no longer running or `signal` aborts: every attempt this
 * process runs as `attempt`, the progress every POLL_MS as `progress`, and the end as `done`.
 */
export async function followJob(jobId: string, send: (event: string, data: unknown) => void, signal: AbortSignal): Promise<void> {
  const stop = onStageEvent((id, event) => {
    if (id === jobId) send("attempt", event);
  });
  try {
    while (!signal.aborted) {
      const progress = await jobProgress(jobId);
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
