/**
 * Generation pipeline figures against the scripted Plant Swap Club model (lib/pipeline/fixtures):
 * - overhead per environment with a zero-latency model (all seven checks, code boot included);
 * - 50 environments with 2 s per model call at concurrency 16, against the ideal schedule.
 */
import path from "node:path";
import { startGenJob } from "../lib/pipeline/job-runner.ts";
import { plantSwapModel } from "../lib/pipeline/fixtures/plant-swap-model.ts";
import { readSeedScenarios } from "../lib/pipeline/seeds.ts";
import { startScriptedLlm } from "../lib/testing/scripted-llm.ts";
import { failed, measured, progress, type Measurement } from "./measurement.ts";
import { freshStudioHome, removeHome } from "./temp-home.ts";

export const PIPELINE_OVERHEAD_GOAL_MS = 2_000;
const SEEDS_FILE = path.join(import.meta.dirname, "..", "lib", "pipeline", "fixtures", "seed-scenarios.jsonl");
const TASKS = 2;
/** Scenario batches ask for at most this many scenarios per call (gen-job.ts). */
const SCENARIOS_PER_CALL = 20;

async function timeGen(count: number, concurrency: number, delayMs: number): Promise<number> {
  const llm = await startScriptedLlm(plantSwapModel({ delayMs }));
  const home = await freshStudioHome("awm-bench-pipeline-");
  Object.assign(process.env, { OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: "bench", AWM_STUDIO_GEN_MODEL: "scripted" });
  try {
    const started = performance.now();
    const handle = await startGenJob({ seedsFile: SEEDS_FILE, seeds: readSeedScenarios(SEEDS_FILE), count, tasks: TASKS, concurrency, maxAttempts: 5, verifierMode: "code" });
    const outcome = await handle.done;
    const elapsed = performance.now() - started;
    const summary = outcome.summary as { environments?: string[]; failures?: unknown[] } | undefined;
    if (outcome.status !== "finished" || summary?.environments?.length !== count || (summary.failures?.length ?? 0) > 0) {
      throw new Error(`gen of ${count} did not finish cleanly: ${outcome.error ?? JSON.stringify(summary).slice(0, 500)}`);
    }
    return elapsed;
  } finally {
    await llm.close();
    removeHome(home);
  }
}

/** Wall time per environment of a one-environment gen with an instant model; one warm-up run first. */
export async function measurePipelineOverhead(runs: number): Promise<Measurement> {
  const name = "pipeline_overhead_per_environment";
  try {
    await timeGen(1, 4, 0);
    const samples: number[] = [];
    for (let run = 1; run <= runs; run++) {
      samples.push(await timeGen(1, 4, 0));
      progress(`${name}: run ${run}/${runs} ${samples.at(-1)!.toFixed(0)} ms`);
    }
    return measured(name, samples, "ms", PIPELINE_OVERHEAD_GOAL_MS, `scripted model with no latency, ${TASKS} tasks: 8 model calls, schema/seed builds, a sandboxed code boot and 2 verifier runs`);
  } catch (error) {
    return failed(name, "ms", PIPELINE_OVERHEAD_GOAL_MS, error);
  }
}

/**
 * The ideal schedule: total model time spread over `concurrency` slots, but never shorter than one
 * environment's chain (first scenario batch, then tasks → schema → seed → spec → code → verifiers).
 */
export function idealGenSeconds(count: number, concurrency: number, latencySeconds: number): number {
  const batches = Math.ceil(count / SCENARIOS_PER_CALL);
  const calls = batches + count * (5 + TASKS);
  return Math.max((calls * latencySeconds) / concurrency, 7 * latencySeconds);
}

/** One gen of `count` environments with `latencyMs` per call: measured seconds, goal within 20% of the ideal. */
export async function measurePipelineAtScale(count = 50, concurrency = 16, latencyMs = 2_000): Promise<Measurement> {
  const name = `pipeline_${count}_environments_latency_${latencyMs}ms_concurrency_${concurrency}`;
  const ideal = idealGenSeconds(count, concurrency, latencyMs / 1000);
  const goal = Math.round(ideal * 1.2 * 10) / 10;
  try {
    progress(`${name}: ideal ${ideal.toFixed(1)} s`);
    const seconds = (await timeGen(count, concurrency, latencyMs)) / 1000;
    return measured(name, [seconds], "s", goal, `ideal ${ideal.toFixed(1)} s (model calls / concurrency × latency); ratio to ideal ${(seconds / ideal).toFixed(2)}`);
  } catch (error) {
    return failed(name, "s", goal, error);
  }
}
