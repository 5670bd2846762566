import { importFolder } from "../lib/library/import.ts";
import { failed, measured, progress, type Measurement } from "./measurement.ts";
import type { BenchSource } from "./sources.ts";
import { freshStudioHome, removeHome } from "./temp-home.ts";

export const IMPORT_GOAL_MS_PER_ENV = 50;

async function timeOneImport(source: BenchSource, verifierHealth: boolean): Promise<number> {
  const home = await freshStudioHome("awm-bench-import-");
  try {
    const started = performance.now();
    const report = await importFolder(source.folder, { verifierHealth });
    const elapsed = performance.now() - started;
    if (report.environments.length === 0) throw new Error(`no environment imported from ${source.folder}: ${JSON.stringify(report.errors).slice(0, 500)}`);
    return elapsed / report.environments.length;
  } finally {
    removeHome(home);
  }
}

/**
 * Import + validation time per environment, each run into a fresh studio home after one warm-up:
 * the foundation's validation (parse, seed database, every check that needs no Python; goal 50 ms),
 * and the full import that also runs every verifier on (seed, seed) in the sandbox (no goal set).
 */
export async function measureImportPerEnvironment(source: BenchSource, runs: number): Promise<Measurement[]> {
  return [
    await measureImport(`import_per_environment.${source.label}`, source, runs, false, IMPORT_GOAL_MS_PER_ENV),
    await measureImport(`import_per_environment_with_verifier_health.${source.label}`, source, runs, true, null),
  ];
}

async function measureImport(name: string, source: BenchSource, runs: number, verifierHealth: boolean, goal: number | null): Promise<Measurement> {
  try {
    await timeOneImport(source, verifierHealth);
    const samples: number[] = [];
    for (let run = 1; run <= runs; run++) {
      samples.push(await timeOneImport(source, verifierHealth));
      progress(`${name}: run ${run}/${runs} ${samples.at(-1)!.toFixed(1)} ms/env`);
    }
    return measured(name, samples, "ms", goal, `folder ${source.folder}${verifierHealth ? "; every verifier run on (seed, seed)" : "; verifier health skipped"}`);
  } catch (error) {
    return failed(name, "ms", goal, error);
  }
}
