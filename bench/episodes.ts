/**
 * Episodes at scale (issue "Episodes: every one truly isolated, hundreds live at once"): 256 live
 * episodes of one environment and 512 of eight at once, each answering a read call, with the
 * memory of every process involved (PSS: shared pages counted once across them) beside AWM's way,
 * one fresh uvicorn process per episode, measured on one process in this run and multiplied.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_SLOTS } from "../lib/runtime/environment-host.ts";
import { liveHosts } from "../lib/runtime/host-pool.ts";
import { proportionalBytes } from "../lib/runtime/host-processes.ts";
import { startInstance, type EnvironmentInstance } from "../lib/runtime/instance.ts";
import { awmEnvironmentFolder, startAwmProcess } from "./awm-process.ts";
import { loadBenchEnvironments, pickReadOnlyTool, type BenchEnvironment } from "./environments.ts";
import { errorText, failed, measured, median, progress, type Measurement } from "./measurement.ts";
import type { BenchSource } from "./sources.ts";
import { removeHome } from "./temp-home.ts";

const ONE_ENVIRONMENT = 256;
const PER_ENVIRONMENT = 64;
const ENVIRONMENTS = 8;
const MEMORY_GOAL_MIB = 4096;
const CALL_RATIO_GOAL = 1.5;
const STARTS_AT_ONCE = 16;
/** An episode's first call copies the pages it touches from its host (about 50 ms of CPU): 512 at once on 2 cores pass the 30 s call deadline. */
const CALLS_AT_ONCE = 64;
const SINGLE_CALLS = 100;
const SPACED_CALLS = 20;
const IDLE_SECONDS = 5;
/** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;
/**
 * Calls each episode serves before its calls are timed, alone or among the others: an episode's
 * first calls copy the pages they touch from its host (the first ~65 ms on this machine), which is
 * the cost of a new episode, not of having many live.
 */
const WARM_UP_CALLS = 3;
const MIB = 2 ** 20;

interface LiveEpisode {
  instance: EnvironmentInstance;
  tool: string;
}

export async function measureEpisodesAtScale(sources: BenchSource[]): Promise<Measurement[]> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-bench-episodes-"));
  try {
    const environments = (await Promise.all(sources.map((source, index) => loadBenchEnvironments(source.folder, path.join(workDir, `source-${index}`))))).flat();
    fs.mkdirSync(path.join(workDir, "episodes"));
    const tools = await readToolOfEach(environments, workDir);
    const main = environments[0]!;
    const awmMiB = await awmProcessMiB(main, workDir);
    return [
      ...(await oneEnvironment(main, tools.get(main.name)!, workDir, awmMiB)),
      ...(await eightEnvironments(environments, tools, workDir, awmMiB)),
    ];
  } catch (error) {
    return [failed("episodes", "episodes", null, error)];
  } finally {
    removeHome(workDir);
  }
}

/** 256 episodes of one environment: memory, and a read call's latency among them beside one episode alone. */
async function oneEnvironment(environment: BenchEnvironment, tool: string, workDir: string, awmMiB: number): Promise<Measurement[]> {
  progress(`episodes: ${ONE_ENVIRONMENT} of ${environment.name}`);
  const alone = await aloneCalls(environment, tool, workDir, SINGLE_CALLS);
  const live = await startEpisodes([environment], ONE_ENVIRONMENT, tool, workDir);
  try {
    const answering = await answeringCount(live);
    const { mib: memory, hosts } = pssMiB(live);
    await timeCalls(live, live.length * (WARM_UP_CALLS - 1)); // answeringCount made the first
    const idleCpu = await idleCpuMsPerSecond(live);
    const begun = performance.now();
    const among = await timeCalls(live, live.length * 2);
    const spacingMs = (performance.now() - begun) / 2;
    await stopAll(live);
    const spaced = await aloneCalls(environment, tool, workDir, SPACED_CALLS, spacingMs);
    progress(`episodes: ${answering}/${ONE_ENVIRONMENT} answering, ${memory.toFixed(0)} MiB PSS, call ${median(among).toFixed(2)} ms vs ${median(alone).toFixed(2)} ms alone, ${median(spaced).toFixed(2)} ms alone every ${spacingMs.toFixed(0)} ms`);
    const ratio = median(among) / median(alone);
    return [
      measured("episodes.one_environment.answering", [answering], "episodes", ONE_ENVIRONMENT, { goalKind: "at_least", note: `${ONE_ENVIRONMENT} episodes of ${environment.name} live at once, one read call (${tool}) each, ${CALLS_AT_ONCE} in flight` }),
      measured("episodes.one_environment.memory_pss", [memory], "MiB", MEMORY_GOAL_MIB, {
        note: `PSS of every process serving them: ${hosts} host(s) (one import of the code each, up to ${DEFAULT_SLOTS} episodes) and the ${live.length} episode processes`,
        reference: { what: `AWM: one fresh uvicorn process per episode, ${awmMiB.toFixed(1)} MiB PSS measured for one in this run, × ${ONE_ENVIRONMENT}`, samples: [awmMiB * ONE_ENVIRONMENT] },
      }),
      measured("episodes.one_environment.idle_cpu", [idleCpu], "ms/s", null, {
        note: `CPU the ${live.length} live episode processes used while nobody called them, per second of wall time, per episode, over ${IDLE_SECONDS} s`,
      }),
      measured("episodes.one_environment.call_ratio", [ratio], "×", CALL_RATIO_GOAL, {
        note: `median read call with ${live.length} episodes live (${median(among).toFixed(2)} ms over ${among.length} calls, one episode after another) over the median with one episode alone called back to back, its caches hot (${median(alone).toFixed(2)} ms over ${alone.length} calls); each episode served ${WARM_UP_CALLS} calls before`,
      }),
      measured("episodes.one_environment.call_ratio_same_spacing", [median(among) / median(spaced)], "×", CALL_RATIO_GOAL, {
        note: `the same median among ${live.length} live over one episode alone called as often as each of them was, every ${spacingMs.toFixed(0)} ms (${median(spaced).toFixed(2)} ms over ${spaced.length} calls): what having many live costs, apart from what an idle episode's cold caches cost`,
      }),
    ];
  } finally {
    await stopAll(live);
  }
}

/** CPU (user + system) of the episodes' processes while idle, per second, per episode. */
async function idleCpuMsPerSecond(live: LiveEpisode[]): Promise<number> {
  const cpuMs = () => live.reduce((sum, { instance }) => sum + (instance.pid === undefined ? 0 : processCpuMs(instance.pid)), 0);
  const before = cpuMs();
  const begun = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const seconds = (performance.now() - begun) / 1000;
  return (cpuMs() - before) / seconds / live.length;
}

function processCpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0; // gone meanwhile
  }
}

/** One episode alone, after the same warm-up: `calls` calls, back to back or one every `spacingMs`. */
async function aloneCalls(environment: BenchEnvironment, tool: string, workDir: string, calls: number, spacingMs = 0): Promise<number[]> {
  const single = await startEpisodes([environment], 1, tool, workDir);
  try {
    await timeCalls(single, WARM_UP_CALLS);
    if (spacingMs === 0) return await timeCalls(single, calls);
    const samples: number[] = [];
    for (let call = 0; call < calls; call++) {
      await new Promise((resolve) => setTimeout(resolve, spacingMs));
      samples.push(...(await timeCalls(single, 1)));
    }
    return samples;
  } finally {
    await stopAll(single);
  }
}

/** 8 environments × 64 episodes at once: none lost, each answering a call. */
async function eightEnvironments(environments: BenchEnvironment[], tools: Map<string, string>, workDir: string, awmMiB: number): Promise<Measurement[]> {
  const chosen = environments.slice(0, ENVIRONMENTS);
  progress(`episodes: ${chosen.length} environments × ${PER_ENVIRONMENT}`);
  const live: LiveEpisode[] = [];
  try {
    for (const environment of chosen) live.push(...(await startEpisodes([environment], PER_ENVIRONMENT, tools.get(environment.name)!, workDir)));
    const answering = await answeringCount(live);
    const { mib: memory, hosts } = pssMiB(live);
    const total = chosen.length * PER_ENVIRONMENT;
    return [
      measured("episodes.eight_environments.answering", [answering], "episodes", total, { goalKind: "at_least", note: `${chosen.length} environments × ${PER_ENVIRONMENT} episodes live at once, one read call each, ${CALLS_AT_ONCE} calls in flight` }),
      measured("episodes.eight_environments.memory_pss", [memory], "MiB", null, {
        note: `PSS of every process serving them: ${hosts} hosts and the ${live.length} episode processes`,
        reference: { what: `AWM: one fresh uvicorn process per episode, ${awmMiB.toFixed(1)} MiB PSS (one process of the first environment, measured in this run) × ${total}`, samples: [awmMiB * total] },
      }),
    ];
  } finally {
    await stopAll(live);
  }
}

async function readToolOfEach(environments: BenchEnvironment[], workDir: string): Promise<Map<string, string>> {
  const tools = new Map<string, string>();
  for (const environment of environments) {
    const instance = await startInstance({ code: environment.code, seedDbFile: environment.seedDbFile, dir: path.join(workDir, "episodes", `probe-${environment.name}`) });
    try {
      tools.set(environment.name, (await pickReadOnlyTool(instance, environment.name)).name);
    } finally {
      await instance.stop();
    }
  }
  return tools;
}

let started = 0;

/** `count` episodes of the environments in turn, STARTS_AT_ONCE starting at a time. */
async function startEpisodes(environments: BenchEnvironment[], count: number, tool: string, workDir: string): Promise<LiveEpisode[]> {
  const live: LiveEpisode[] = [];
  for (let first = 0; first < count; first += STARTS_AT_ONCE) {
    const batch = Array.from({ length: Math.min(STARTS_AT_ONCE, count - first) }, (_, index) => environments[(first + index) % environments.length]!);
    const instances = await Promise.all(batch.map((environment) => startInstance({ code: environment.code, seedDbFile: environment.seedDbFile, dir: path.join(workDir, "episodes", `e-${++started}`) })));
    live.push(...instances.map((instance) => ({ instance, tool })));
  }
  return live;
}

/** One read call on each episode, CALLS_AT_ONCE in flight (a rollout's concurrency), all episodes live throughout. */
async function answeringCount(live: LiveEpisode[]): Promise<number> {
  const answers: PromiseSettledResult<Awaited<ReturnType<EnvironmentInstance["callTool"]>>>[] = [];
  for (let first = 0; first < live.length; first += CALLS_AT_ONCE) {
    answers.push(...(await Promise.allSettled(live.slice(first, first + CALLS_AT_ONCE).map(({ instance, tool }) => instance.callTool(tool, {})))));
  }
  const lost = answers.flatMap((answer) => (answer.status === "rejected" ? [errorText(answer.reason)] : answer.value.ok ? [] : [`HTTP ${answer.value.status}`]));
  if (lost.length > 0) progress(`episodes: ${lost.length} did not answer, e.g. ${lost[0]}`);
  return answers.length - lost.length;
}

/** Sequential read calls, each on the next episode in turn. */
async function timeCalls(live: LiveEpisode[], calls: number): Promise<number[]> {
  const samples: number[] = [];
  for (let call = 0; call < calls; call++) {
    const { instance, tool } = live[call % live.length]!;
    const begun = performance.now();
    await instance.callTool(tool, {});
    samples.push(performance.now() - begun);
  }
  return samples;
}

/**
 * PSS of the hosts serving these episodes and all their episode processes (spares included) now, in
 * MiB. Hosts of other environments, idle since an earlier measurement, are not these episodes' cost.
 */
function pssMiB(live: LiveEpisode[]): { mib: number; hosts: number } {
  const episodes = new Set(live.map(({ instance }) => instance.pid));
  const hosts = liveHosts().filter((host) => host.episodeProcesses().some((pids) => pids.some((pid) => episodes.has(pid))));
  const pids = hosts.flatMap((host) => [host.pythonProcess(), ...host.episodeProcesses().flat()]).filter((pid): pid is number => pid !== undefined);
  return { mib: pids.reduce((sum, pid) => sum + (proportionalBytes(pid) ?? 0), 0) / MIB, hosts: hosts.length };
}

async function awmProcessMiB(environment: BenchEnvironment, workDir: string): Promise<number> {
  const server = await startAwmProcess(awmEnvironmentFolder(environment.code, path.join(workDir, "awm")), environment.seedDbFile);
  try {
    return (proportionalBytes(server.pid!) ?? 0) / MIB;
  } finally {
    await server.stop();
  }
}

async function stopAll(live: LiveEpisode[]): Promise<void> {
  await Promise.all(live.map(({ instance }) => instance.stop()));
}
