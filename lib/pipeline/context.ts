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

/** Sandboxed checks (server boots, verifier runs) are CPU-bound: about one per core. */
function checkSlots(): number {
  return Math.max(2, Math.min(8, os.availableParallelism()));
}

export async function pipelineContext(jobId: string | null, limits: RunLimits, onEvent?: (event: StageEvent) => void): Promise<PipelineContext> {
  return {
    jobId,
    modelLimit: new Semaphore(limits.concurrency ?? DEFAULT_CONCURRENCY),
    checkLimit: new Semaphore(checkSlots()),
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
