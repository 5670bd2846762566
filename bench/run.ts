// `npm run bench`: one JSON document on stdout (and in bench/out/latest.json) with every figure, its
// goal and whether it is met; progress goes to stderr. `npm run bench -- --only <group>[,<group>]`
// runs some of the groups (import, library, runtime, episodes, verify, pipeline, agent, export) and writes
// bench/out/latest-<groups>.json instead. BENCH_RUNS (default 5), BENCH_LIBRARY_SIZE (default 1000) and
// BENCH_EXPORT_RUNS (default 10000) tune it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "../lib/config/paths.ts";
import { measureAgentRuns } from "./agent.ts";
import { measureEpisodesAtScale } from "./episodes.ts";
import { measureExportRuns } from "./export-runs.ts";
import { measureImportPerEnvironment } from "./import-per-environment.ts";
import { measureLibraryAtScale } from "./library-at-scale.ts";
import { progress, type Measurement } from "./measurement.ts";
import { measurePipelineAtScale, measurePipelineOverhead } from "./pipeline.ts";
import { measureRuntime } from "./runtime.ts";
import { benchSources, type BenchSource } from "./sources.ts";
import { lazyStudioServer, type StudioServer } from "./studio-server.ts";
import { measureVerification } from "./verification.ts";

// Library code may log; stdout carries only the final JSON.
console.log = console.error;

const GROUPS = ["import", "library", "runtime", "episodes", "verify", "pipeline", "agent", "export"] as const;
type Group = (typeof GROUPS)[number];

interface BenchContext {
  runs: number;
  librarySize: number;
  exportRuns: number;
  sources: BenchSource[];
  /** The first source: the real samples when present, else the starter library. */
  main: BenchSource;
  studioServer(): Promise<StudioServer>;
}

const GROUP_RUNNERS: Record<Group, (context: BenchContext) => Promise<Measurement[]>> = {
  async import({ sources, runs }) {
    const measurements: Measurement[] = [];
    for (const source of sources) {
      progress(`import per environment: ${source.label} (${source.folder}), ${runs} runs`);
      measurements.push(...(await measureImportPerEnvironment(source, runs)));
    }
    return measurements;
  },
  library({ main, librarySize }) {
    progress(`library of ${librarySize} environments`);
    return measureLibraryAtScale(main, librarySize, 5);
  },
  runtime({ main, runs, studioServer }) {
    progress(`runtime on ${main.label}`);
    return measureRuntime(main, runs, async () => (await studioServer()).url);
  },
  episodes({ sources }) {
    progress("episodes at scale");
    return measureEpisodesAtScale(sources);
  },
  verify({ main, runs, studioServer }) {
    progress(`verification on ${main.label}`);
    return measureVerification(main, runs, studioServer);
  },
  async pipeline({ runs }) {
    progress(`pipeline overhead, ${runs} runs`);
    const overhead = await measurePipelineOverhead(runs);
    progress("pipeline at scale");
    return [overhead, await measurePipelineAtScale()];
  },
  agent({ runs }) {
    progress("agent runs");
    return measureAgentRuns(runs);
  },
  export({ exportRuns }) {
    progress(`export of ${exportRuns} runs in each format`);
    return measureExportRuns(exportRuns);
  },
};

function selectedGroups(argv: string[]): Group[] {
  const index = argv.findIndex((arg) => arg === "--only" || arg.startsWith("--only="));
  if (index < 0) return [...GROUPS];
  const value = argv[index]!.includes("=") ? argv[index]!.slice("--only=".length) : argv[index + 1];
  const asked = (value ?? "").split(",").filter(Boolean);
  const unknown = asked.filter((group) => !(GROUPS as readonly string[]).includes(group));
  if (asked.length === 0 || unknown.length > 0) {
    process.stderr.write(`--only takes one or more of ${GROUPS.join(", ")} (comma-separated); got "${value ?? ""}"\n`);
    process.exit(2);
  }
  return GROUPS.filter((group) => asked.includes(group));
}

const groups = selectedGroups(process.argv.slice(2));
const sources = benchSources();
const server = lazyStudioServer(sources[0]!);
const context: BenchContext = {
  runs: Number(process.env.BENCH_RUNS ?? 5),
  librarySize: Number(process.env.BENCH_LIBRARY_SIZE ?? 1000),
  exportRuns: Number(process.env.BENCH_EXPORT_RUNS ?? 10_000),
  sources,
  main: sources[0]!,
  studioServer: server.get,
};
const measurements: Measurement[] = [];
const started = performance.now();
// Other work on the machine skews every figure: the load averages say how busy it was.
const loadAtStart = os.loadavg().map((load) => Math.round(load * 100) / 100);
try {
  for (const group of groups) {
    const groupStarted = performance.now();
    measurements.push(...(await GROUP_RUNNERS[group](context)));
    progress(`${group}: done in ${((performance.now() - groupStarted) / 1000).toFixed(1)} s`);
  }
} finally {
  await server.stop();
}

const document = {
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    platform: process.platform,
    cpus: os.cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg().map((load) => Math.round(load * 100) / 100),
  },
  groups,
  durationSeconds: Math.round((performance.now() - started) / 100) / 10,
  measurements,
  allGoalsMet: measurements.every((measurement) => measurement.pass),
};
const json = JSON.stringify(document, null, 2) + "\n";
const outDir = path.join(projectRoot(), "bench", "out");
fs.mkdirSync(outDir, { recursive: true });
// A partial run (--only) does not overwrite the full run's figures.
const outFile = groups.length === GROUPS.length ? "latest.json" : `latest-${groups.join("-")}.json`;
fs.writeFileSync(path.join(outDir, outFile), json);
process.stdout.write(json);
