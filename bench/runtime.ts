/**
 * Runtime figures (issue "Sandboxed environment instances"), each environment measured the
 * studio's way and AWM's way in turn: instance start, reset, read-only tool call latency (direct
 * over the Unix socket, through the MCP endpoint of the production server, and AWM's HTTP over
 * TCP), memory per instance and 16 live instances at once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { residentBytes } from "../lib/runtime/host-processes.ts";
import { startInstance } from "../lib/runtime/instance.ts";
import { buildRequest, type Tool } from "../lib/runtime/tool-catalog.ts";
import { awmEnvironmentFolder, startAwmProcess, type AwmProcess } from "./awm-process.ts";
import { loadBenchEnvironments, pickReadOnlyTool, type BenchEnvironment } from "./environments.ts";
import { measureLiveInstances } from "./live-instances.ts";
import { openMcpSession } from "./mcp-calls.ts";
import { measureStepRecord } from "./step-record.ts";
import { errorText, failed, measured, median, progress, type Measurement, type MeasureOptions } from "./measurement.ts";
import type { BenchSource } from "./sources.ts";
import { removeHome } from "./temp-home.ts";

export const RESET_GOAL_MS = 10;
export const NEW_EPISODE_GOAL_MS = 20;
export const MCP_OVERHEAD_GOAL_MS = 3;
const CALLS_PER_ENVIRONMENT = 50;
const WARMUP_CALLS = 5;
const RESETS_PER_ENVIRONMENT = 20;
/** Time between an episode's calls and its reset in the reset figure: three turns of a fast model. */
const EPISODE_GAP_MS = 100;
const MIB = 2 ** 20;

type SampleKind = "studioStart" | "awmStart" | "studioReset" | "studioResetBackToBack" | "awmReset" | "direct" | "mcp" | "mcpEpisode" | "awmCall" | "studioRss" | "awmRss";

class RuntimeSamples {
  readonly values = new Map<SampleKind, number[]>();
  readonly problems = new Map<SampleKind, string[]>();

  add(kind: SampleKind, ...values: number[]): void {
    this.values.set(kind, [...this.of(kind), ...values]);
  }

  of(kind: SampleKind): number[] {
    return this.values.get(kind) ?? [];
  }

  /** Runs one phase; when it fails, the figures it feeds carry the error. */
  async phase(kinds: SampleKind[], label: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      progress(`${label} failed: ${errorText(error)}`);
      for (const kind of kinds) this.problems.set(kind, [...(this.problems.get(kind) ?? []), `${label}: ${errorText(error)}`]);
    }
  }

  problemsOf(...kinds: SampleKind[]): string[] {
    return kinds.flatMap((kind) => this.problems.get(kind) ?? []);
  }

  figure(name: string, kind: SampleKind, unit: string, goal: number | null, options: MeasureOptions & { referenceKind?: SampleKind; referenceWhat?: string } = {}): Measurement {
    const samples = this.of(kind);
    const problems = this.problemsOf(kind, ...(options.referenceKind ? [options.referenceKind] : []));
    if (samples.length === 0) return failed(name, unit, goal, problems.join("\n") || "no samples", options.goalKind);
    const reference = options.referenceKind ? { what: options.referenceWhat ?? options.referenceKind, samples: this.of(options.referenceKind) } : undefined;
    const figure = measured(name, samples, unit, goal, { ...options, reference });
    if (problems.length > 0) Object.assign(figure, { pass: false, error: problems.join("\n") });
    return figure;
  }
}

const elapsedSince = (started: number) => performance.now() - started;

async function timeCalls(calls: number, callOnce: () => Promise<void>): Promise<number[]> {
  for (let call = 0; call < WARMUP_CALLS; call++) await callOnce();
  const samples: number[] = [];
  for (let call = 0; call < calls; call++) {
    const started = performance.now();
    await callOnce();
    samples.push(elapsedSince(started));
  }
  return samples;
}

function residentMiB(pid: number | undefined): number | undefined {
  const bytes = pid === undefined ? undefined : residentBytes(pid);
  return bytes === undefined ? undefined : bytes / MIB;
}

/** The studio's way: sandboxed instance, in-process reset, calls over its Unix socket. Returns the read-only tool used. */
async function measureStudioEpisodes(environment: BenchEnvironment, dir: string, runs: number, samples: RuntimeSamples): Promise<Tool> {
  const start = (label: string) => startInstance({ code: environment.code, seedDbFile: environment.seedDbFile, dir: path.join(dir, label) });
  const live = await start("live"); // doubles as the warm-up start
  try {
    const tool = await pickReadOnlyTool(live, environment.name);
    for (let run = 1; run <= runs; run++) {
      const started = performance.now();
      const instance = await start(`start-${run}`);
      samples.add("studioStart", elapsedSince(started));
      await instance.callTool(tool.name, {});
      await instance.stop();
    }
    samples.add(
      "direct",
      ...(await timeCalls(CALLS_PER_ENVIRONMENT, async () => {
        const answer = await live.callTool(tool.name, {});
        if (!answer.ok) throw new Error(`${tool.name} on ${environment.name} answered HTTP ${answer.status}`);
      })),
    );
    for (let reset = 0; reset < RESETS_PER_ENVIRONMENT; reset++) {
      samples.add("studioReset", (await live.reset()).durationMs);
      // An episode between resets: a few calls and a fast model's turns, time for the next fork.
      for (let call = 0; call < 3; call++) await live.callTool(tool.name, {});
      await new Promise((resolve) => setTimeout(resolve, EPISODE_GAP_MS));
    }
    for (let reset = 0; reset < RESETS_PER_ENVIRONMENT; reset++) {
      samples.add("studioResetBackToBack", (await live.reset()).durationMs);
      await live.callTool(tool.name, {});
    }
    const rss = live.residentMemoryBytes();
    if (rss !== undefined) samples.add("studioRss", rss / MIB);
    return tool;
  } finally {
    await live.stop();
  }
}

/** AWM's way: a fresh uvicorn process per episode on a fresh database copy; reset = restart it. */
async function measureAwmEpisodes(environment: BenchEnvironment, dir: string, tool: Tool, runs: number, samples: RuntimeSamples): Promise<void> {
  const folder = awmEnvironmentFolder(environment.code, dir);
  const request = buildRequest(tool, {});
  let server: AwmProcess = await startAwmProcess(folder, environment.seedDbFile); // warm-up start
  try {
    samples.add(
      "awmCall",
      ...(await timeCalls(CALLS_PER_ENVIRONMENT, async () => {
        const answer = await server.request(request);
        if (answer.status !== 200) throw new Error(`${tool.name} on ${environment.name} (uvicorn) answered HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
      })),
    );
    const rss = residentMiB(server.pid);
    if (rss !== undefined) samples.add("awmRss", rss);
    for (let run = 1; run <= runs; run++) {
      const resetStarted = performance.now();
      await server.stop();
      const started = performance.now();
      server = await startAwmProcess(folder, environment.seedDbFile);
      samples.add("awmStart", elapsedSince(started));
      samples.add("awmReset", elapsedSince(resetStarted));
    }
  } finally {
    await server.stop();
  }
}

export async function measureRuntime(source: BenchSource, runs: number, studioServerUrl: () => Promise<string>): Promise<Measurement[]> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-bench-runtime-"));
  const samples = new RuntimeSamples();
  const usable: { environment: BenchEnvironment; tool: string }[] = [];
  try {
    const environments = await loadBenchEnvironments(source.folder, workDir);
    for (const environment of environments) {
      progress(`runtime: ${environment.name}`);
      const dir = path.join(workDir, environment.name);
      let tool: Tool | undefined;
      await samples.phase(["studioStart", "direct", "studioReset", "studioResetBackToBack", "studioRss"], `studio instance of ${environment.name}`, async () => {
        tool = await measureStudioEpisodes(environment, path.join(dir, "studio"), runs, samples);
      });
      if (!tool) continue;
      const found = tool;
      usable.push({ environment, tool: found.name });
      await samples.phase(["awmStart", "awmReset", "awmCall", "awmRss"], `AWM uvicorn process of ${environment.name}`, () =>
        measureAwmEpisodes(environment, path.join(dir, "awm"), found, runs, samples),
      );
      for (const [kind, episode] of [["mcp", false], ["mcpEpisode", true]] as const) {
        await samples.phase([kind], `MCP calls on ${episode ? "an episode of " : ""}${environment.name}`, async () => {
          const session = await openMcpSession(await studioServerUrl(), environment.name, { episode });
          try {
            samples.add(kind, ...(await timeCalls(CALLS_PER_ENVIRONMENT, () => session.callTool(found.name))));
          } finally {
            await session.close();
          }
        });
      }
    }
    return [...episodeFigures(samples, environments.length, runs), await measureStepRecord(usable, workDir, runs), ...(await liveFigures(usable, workDir))];
  } catch (error) {
    return [failed("runtime", "ms", null, error)];
  } finally {
    removeHome(workDir);
  }
}

function episodeFigures(samples: RuntimeSamples, environments: number, runs: number): Measurement[] {
  const perEnvironment = (count: number) => `${environments} environments × ${count}`;
  const figures = [
    samples.figure("runtime.instance_start", "studioStart", "ms", NEW_EPISODE_GOAL_MS, {
      note: `a new episode of an environment that has one live already: a fork of its host's import (its spare when ready), own namespaces, database and cgroup, serving; each started, called once, stopped; ${perEnvironment(runs)}`,
      referenceKind: "awmStart",
      referenceWhat: "AWM: fresh uvicorn process on a TCP port (seed copy, python -c import + uvicorn.run) until GET /openapi.json answers",
    }),
    samples.figure("runtime.reset", "studioReset", "ms", RESET_GOAL_MS, {
      note: `the episode's process replaced by a fresh fork of the import (module state and database as a fresh process has them), the fork already serving (the spare): 3 read calls and ${EPISODE_GAP_MS} ms between resets; ${perEnvironment(RESETS_PER_ENVIRONMENT)}`,
      referenceKind: "awmReset",
      referenceWhat: "AWM: kill the uvicorn process, copy the seed database, start a new process until it serves",
    }),
    samples.figure("runtime.reset_back_to_back", "studioResetBackToBack", "ms", null, {
      note: `resets with one read call between them, faster than a fork comes up: each waits for the spare being forked; ${perEnvironment(RESETS_PER_ENVIRONMENT)}`,
      referenceKind: "awmReset",
      referenceWhat: "AWM: kill the uvicorn process, copy the seed database, start a new process until it serves",
    }),
    samples.figure("runtime.tool_call.direct", "direct", "ms", null, {
      withP95: true,
      note: `a read-only tool without arguments via EnvironmentInstance.callTool over the Unix socket; ${perEnvironment(CALLS_PER_ENVIRONMENT)} after ${WARMUP_CALLS} warm-up calls`,
      referenceKind: "awmCall",
      referenceWhat: "AWM: the same HTTP request over TCP to the uvicorn process (keep-alive)",
    }),
    samples.figure("runtime.tool_call.mcp", "mcp", "ms", null, {
      withP95: true,
      note: `the same tool through POST /api/instances/<id>/mcp of the production server, MCP SDK Client + StreamableHTTPClientTransport; ${perEnvironment(CALLS_PER_ENVIRONMENT)}`,
    }),
    samples.figure("runtime.tool_call.mcp_episode", "mcpEpisode", "ms", null, {
      withP95: true,
      note: `the same MCP calls on the instance of an episode (POST /api/episodes): each call a step of its trajectory, the database captured by the episode before it answers, the step written behind the answer; calls back to back; ${perEnvironment(CALLS_PER_ENVIRONMENT)}`,
      referenceKind: "mcp",
      referenceWhat: "the same MCP calls on an instance no episode records",
    }),
  ];
  const direct = samples.of("direct");
  const mcp = samples.of("mcp");
  figures.push(
    direct.length > 0 && mcp.length > 0
      ? measured("runtime.mcp_overhead", [median(mcp) - median(direct)], "ms", MCP_OVERHEAD_GOAL_MS, "median of the MCP calls − median of the direct calls")
      : failed("runtime.mcp_overhead", "ms", MCP_OVERHEAD_GOAL_MS, samples.problemsOf("mcp", "direct").join("\n") || "no samples"),
  );
  figures.push(
    samples.figure("runtime.memory_per_instance", "studioRss", "MiB", null, {
      note: "VmRSS of the Python server process after the calls and resets, one per environment",
      referenceKind: "awmRss",
      referenceWhat: "AWM: VmRSS of the uvicorn process after the same calls",
    }),
  );
  return figures;
}

async function liveFigures(usable: { environment: BenchEnvironment; tool: string }[], workDir: string): Promise<Measurement[]> {
  if (usable.length === 0) return [failed("runtime.live_instances_at_once", "instances", 16, "no environment could be started", "at_least")];
  try {
    return await measureLiveInstances(usable, workDir);
  } catch (error) {
    return [failed("runtime.live_instances_at_once", "instances", 16, error, "at_least")];
  }
}
