import os from "node:os";
import { loadPrices } from "./pricing.ts";
import { Semaphore } from "./semaphore.ts";
import { DEFAULT_MAX_ATTEMPTS, type PipelineContext, type StageEvent } from "./stage-loop.ts";

export const DEFAULT_CONCURRENCY = 4;
/** Generator answers are long (whole programs): minutes, not seconds. AWM_STUDIO_GEN_TIMEOUT_MS overrides. */
export const DEFAULT_MODEL_TIMEOUT_MS = 300_000;

export interface RunLimits {
  /** Model calls at once. */
  concurrency?: number;
  /** Attempts per stage before it fails (AWM: 5). */
  maxAttempts?: number;
}

/**
 * Limits shared by every pipeline job of this process: a bulk regeneration starts one job per
 * environment, and with limits per job alone a selection of 12 booted some 130 sandboxes at once
 * (14 GB) and 1,000 would have sent 4,000 model calls. Sandboxed checks (server boots, verifier
 * runs) are CPU-bound: about one per core, each under its own memory cap.
 */
const processChecks = new Semaphore(Math.max(2, Math.min(8, os.availableParallelism())));
/** Generator calls at once in this process, whatever each job's concurrency. */
export const PROCESS_MODEL_CALLS = 64;
const processModelCalls = new Semaphore(PROCESS_MODEL_CALLS);

export async function pipelineContext(jobId: string | null, limits: RunLimits, onEvent?: (event: StageEvent) => void): Promise<PipelineContext> {
  return {
    jobId,
    modelLimit: new Semaphore(limits.concurrency ?? DEFAULT_CONCURRENCY, processModelCalls),
    checkLimit: processChecks,
    maxAttempts: limits.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    modelTimeoutMs: modelTimeoutMs(),
    prices: await loadPrices(),
    ...(onEvent && { onEvent }),
  };
}

function modelTimeoutMs(): number {
  const value = Number(process.env.AWM_STUDIO_GEN_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_MODEL_TIMEOUT_MS;
}
