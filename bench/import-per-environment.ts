import { importFolder } from "../lib/library/import.ts";
import { failed, measured, progress, type Measurement } from "./measurement.ts";
import type { BenchSource } from "./sources.ts";
import { freshStudioHome, removeHome } from "./temp-home.ts";

export const IMPORT_GOAL_MS_PER_ENV = 50;

async function timeOneImport(source: BenchSource): Promise<number> {
  const home = await freshStudioHome("awm-bench-import-");
  try {
    const started = performance.now();
    const report = await importFolder(source.folder);
    const elapsed = performance.now() - started;
    if (report.environments.length === 0) throw new Error(`no environment imported from ${source.folder}: ${JSON.stringify(report.errors).slice(0, 500)}`);
    return elapsed / report.environments.length;
  } finally {
    removeHome(home);
  }
}

/** Import + validation time per environment, each run into a fresh studio home; one warm-up run first. */
export async function measureImportPerEnvironment(source: BenchSource, runs: number): Promise<Measurement> {
  const name = `import_per_environment.${source.label}`;
  try {
    await timeOneImport(source);
    const samples: number[] = [];
    for (let run = 1; run <= runs; run++) {
      samples.push(await timeOneImport(source));
      progress(`${name}: run ${run}/${runs} ${samples.at(-1)!.toFixed(1)} ms/env`);
    }
    return measured(name, samples, "ms", IMPORT_GOAL_MS_PER_ENV, `folder ${source.folder}`);
  } catch (error) {
    return failed(name, "ms", IMPORT_GOAL_MS_PER_ENV, error);
  }
}
