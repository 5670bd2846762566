// `npm run bench`: one JSON document on stdout (and in bench/out/latest.json) with every figure, its
// goal and whether it is met; progress goes to stderr. BENCH_RUNS (default 5) and BENCH_LIBRARY_SIZE
// (default 1000) tune it.
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../lib/config/paths.ts";
import { measureImportPerEnvironment } from "./import-per-environment.ts";
import { measureLibraryAtScale } from "./library-at-scale.ts";
import { progress, type Measurement } from "./measurement.ts";
import { benchSources } from "./sources.ts";

// Library code may log; stdout carries only the final JSON.
console.log = console.error;

const runs = Number(process.env.BENCH_RUNS ?? 5);
const librarySize = Number(process.env.BENCH_LIBRARY_SIZE ?? 1000);
const sources = benchSources();
const measurements: Measurement[] = [];

for (const source of sources) {
  progress(`import per environment: ${source.label} (${source.folder}), ${runs} runs`);
  measurements.push(await measureImportPerEnvironment(source, runs));
}
progress(`library of ${librarySize} environments`);
measurements.push(...(await measureLibraryAtScale(sources[0]!, librarySize, 5)));

const document = {
  date: new Date().toISOString(),
  machine: { node: process.version, platform: process.platform },
  measurements,
  allGoalsMet: measurements.every((measurement) => measurement.pass),
};
const json = JSON.stringify(document, null, 2) + "\n";
const outDir = path.join(projectRoot(), "bench", "out");
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, "latest.json"), json);
process.stdout.write(json);
