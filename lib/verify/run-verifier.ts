/**
 * The verifier sandbox: AWM verifier code (untrusted, LLM-written Python) runs under bubblewrap with
 * no network, a memory limit, a time limit per verifier, and both databases as read-only copies.
 * All runs go through the process-wide verifier worker (verifier-worker.ts), a sandboxed Python
 * process that stays up and forks per verifier; a batch (`runVerifiers`) is one message to it, which
 * is what makes checking a whole environment fast. A verifier that hangs or kills the worker costs
 * only itself.
 */
import { defaultPython } from "../runtime/python-runtime.ts";
import type { VerifierJob } from "./job-staging.ts";
import { outputShapeError } from "./verifier-output.ts";
import { sharedVerifierWorker, type RawRun } from "./verifier-worker.ts";

export type { VerifierJob } from "./job-staging.ts";

export const DEFAULT_VERIFIER_TIMEOUT_MS = 10_000;
export const DEFAULT_VERIFIER_MEMORY_BYTES = 512 * 1024 * 1024;

export type VerifierRun = { ok: true; output: unknown; durationMs: number } | { ok: false; error: string; durationMs: number };

export interface VerifierSandboxOptions {
  /** Per verifier, default 10 s. */
  timeoutMs?: number;
  memoryBytes?: number;
  python?: string;
  /** Without bwrap, run verifiers unsandboxed instead of failing them (databases are still copies). */
  allowUnsandboxed?: boolean;
}

/** One verifier, in a process of its own forked by the worker. */
export async function runVerifier(opts: VerifierJob & { timeoutMs?: number }): Promise<VerifierRun> {
  const [run] = await runVerifiers([opts], { timeoutMs: opts.timeoutMs });
  return run!;
}

/** Runs the verifiers as one batch of the shared worker; results in job order. */
export async function runVerifiers(jobs: VerifierJob[], options: VerifierSandboxOptions = {}): Promise<VerifierRun[]> {
  if (jobs.length === 0) return [];
  const worker = sharedVerifierWorker({
    python: options.python ?? defaultPython(),
    memoryBytes: options.memoryBytes ?? DEFAULT_VERIFIER_MEMORY_BYTES,
    allowUnsandboxed: options.allowUnsandboxed ?? false,
  });
  const runs = await worker.run(jobs, options.timeoutMs ?? DEFAULT_VERIFIER_TIMEOUT_MS);
  return runs.map((run, index) => withShapeCheck(jobs[index]!.mode, run));
}

function withShapeCheck(mode: VerifierJob["mode"], run: RawRun): VerifierRun {
  if (!run.ok) return run;
  const shapeError = outputShapeError(mode, run.output, run.pyType);
  return shapeError ? { ok: false, error: shapeError, durationMs: run.durationMs } : { ok: true, output: run.output, durationMs: run.durationMs };
}
