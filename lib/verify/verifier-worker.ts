/**
 * The verifier worker: the long-lived sandboxed Python worker (worker/python-worker.ts) running
 * python/verifier_runner.py, each verifier in its own forked process. Its batch folder, mounted
 * READ-ONLY, holds the batch's database copies, written from here before the batch is sent.
 */
import { CAPS } from "../config/caps.ts";
import type { JobAnswer, JobWorker } from "../worker/job-worker.ts";
import { pythonWorker, sharedPythonWorker } from "../worker/python-worker.ts";
import { stageJobs, type StagedJob, type VerifierJob } from "./job-staging.ts";

export { IDLE_SHUTDOWN_MS } from "../worker/job-worker.ts";

export interface VerifierWorkerSettings {
  python: string;
  memoryBytes: number;
  allowUnsandboxed: boolean;
  /** Quiet time after which the worker process stops; default IDLE_SHUTDOWN_MS. */
  idleShutdownMs?: number;
}

/** A worker answer: the output's shape is checked by the caller. */
export type RawRun = { ok: true; output: unknown; pyType: string; durationMs: number } | { ok: false; error: string; durationMs: number };

const workerSettings = (settings: VerifierWorkerSettings) => ({ ...settings, label: "verifier", script: "verifier_runner.py", maxAnswerBytes: CAPS.verifierAnswer.bytes });

/** The process-wide worker for these settings, created on first use. */
export function sharedVerifierWorker(settings: VerifierWorkerSettings): VerifierWorker {
  return new VerifierWorker(settings, sharedPythonWorker(workerSettings(settings)));
}

export class VerifierWorker {
  constructor(
    settings: VerifierWorkerSettings,
    private readonly worker: JobWorker = pythonWorker(workerSettings(settings)),
  ) {}

  /** Host pid of the running worker process (bwrap's when sandboxed), if one is up. */
  get pid(): number | undefined {
    return this.worker.pid;
  }

  /** Host folder of the database copies (mounted read-only in the sandbox), while one exists. */
  get hostFolder(): string | undefined {
    return this.worker.hostFolder;
  }

  /** Runs the jobs once every batch asked for earlier is done; one result per job, in job order. */
  run(jobs: VerifierJob[], timeoutMs: number): Promise<RawRun[]> {
    return this.worker.run(timeoutMs, async (folder, send) => {
      const staged = await stageJobs(folder.host, folder.inside, jobs);
      const runnable = staged.filter((job): job is StagedJob => !("stageError" in job));
      const answers = await send(runnable);
      const byId = new Map(runnable.map((job, index) => [job.id, toRun(answers[index]!)]));
      return staged.map((job): RawRun => ("stageError" in job ? { ok: false, error: job.stageError, durationMs: 0 } : byId.get(job.id)!));
    });
  }
}

function toRun(answer: JobAnswer): RawRun {
  if (!answer.ok) return answer;
  const pyType = typeof answer.fields.py_type === "string" ? answer.fields.py_type : "object";
  return { ok: true, output: answer.fields.output, pyType, durationMs: answer.durationMs };
}
