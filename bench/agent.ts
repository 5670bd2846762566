/**
 * Agent-run figures on the project's tiny shop (lib/agent's fixture) with a scripted
 * OpenAI-compatible model; every episode is three model turns: two tool calls, then the answer.
 * - studio overhead per turn beyond the tool call, the model answering at once, for calls that
 *   write (the figure with the goal) and for calls that only read (nothing to copy or diff);
 * - episodes per second at concurrency 1, 16 and 64, beside AWM's way: a fresh uvicorn process per
 *   episode serving the same two tool calls (no model, so the reference is flattered);
 * - machine CPU per episode at each concurrency, beside AWM's way: what bounds the rate on these cores;
 * - 256 episodes with 2 s model latency per turn at concurrency 64, against the latency's ideal.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AGENT_SHOP, callTool, finalAnswer, importAgentShop, RENAME_TASK, turnOf } from "../lib/testing/agent-shop.ts";
import { runEpisode } from "../lib/agent/episode.ts";
import { agentSettings } from "../lib/agent/settings.ts";
import { createInstance, instanceTools, resetInstance, stopAll } from "../lib/instances/manager.ts";
import { startRolloutJob } from "../lib/agent/rollout-job.ts";
import { buildRequest, type ToolRequest } from "../lib/runtime/tool-catalog.ts";
import { loadEnvironment } from "../lib/store/load-environment.ts";
import { startScriptedLlm, type ScriptedLlm, type ScriptedReply, type ScriptedRequest } from "../lib/testing/scripted-llm.ts";
import { getTrajectory } from "../lib/trajectories/store.ts";
import { awmEnvironmentFolder, startAwmProcess } from "./awm-process.ts";
import { withCpu } from "./cpu.ts";
import { errorText, failed, measured, progress, type Measurement } from "./measurement.ts";
import { freshStudioHome, removeHome } from "./temp-home.ts";

export const TURN_OVERHEAD_GOAL_MS = 5;
export const EPISODE_RATE_GOAL_RATIO = 10;
const TURNS = 3;
const CONCURRENCIES = [1, 16, 64] as const;
const LATENCY_MS = 2_000;
const LATENCY_EPISODES = 256;
const LATENCY_CONCURRENCY = 64;
type Calls = { tool: string; args: Record<string, unknown> }[];
const CALLS: Calls = [
  { tool: "rename_product", args: { product_id: 1, name: "Blue Mug" } },
  { tool: "add_product", args: { name: "Tea Pot", price: 20 } },
];
const READ_CALLS: Calls = [
  { tool: "get_product", args: { product_id: 1 } },
  { tool: "get_product", args: { product_id: 2 } },
];

/** When each model request arrived, in order: the turn overhead is read between them. */
let modelRequestTimes: number[] = [];

function model(delayMs: number, calls: Calls): (request: ScriptedRequest) => ScriptedReply {
  return (request) => {
    modelRequestTimes.push(performance.now());
    const call = calls[turnOf(request).turn];
    const reply = call ? callTool(call.tool, call.args) : finalAnswer();
    return delayMs > 0 ? { delayMs, then: reply } : reply;
  };
}

async function withAgentStudio<T>(delayMs: number, maxInstances: number, run: () => Promise<T>, calls = CALLS): Promise<T> {
  const home = await freshStudioHome("awm-bench-agent-");
  const llm: ScriptedLlm = await startScriptedLlm(model(delayMs, calls));
  Object.assign(process.env, { OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: "bench", AWM_STUDIO_AGENT_MODEL: "scripted", AWM_STUDIO_MAX_INSTANCES: String(maxInstances) });
  try {
    await importAgentShop();
    return await run();
  } finally {
    await stopAll();
    await llm.close();
    removeHome(home);
  }
}

interface EpisodeCosts {
  /** Per turn that ran a call: the time from one model request to the next, less the call's own time. */
  turns: number[];
  /** Per episode: before its first model request, and after its last. */
  start: number[];
  end: number[];
}

/**
 * Episodes on a reset instance, one at a time. A turn's overhead is what the studio does between two
 * model requests beyond the tool call (the model's answer read, parsed, the call resolved and sent,
 * the database snapshot for the step's diffs, the step recorded, the next prompt); what an episode
 * does once (its trajectory and initial database before the first request; diffs flushed, the final
 * database and the code verifier after the last) is measured apart.
 */
async function episodeCosts(episodes: number): Promise<EpisodeCosts> {
  const { id } = await createInstance(AGENT_SHOP);
  const costs: EpisodeCosts = { turns: [], start: [], end: [] };
  for (let episode = 0; episode <= episodes; episode++) {
    await resetInstance(id);
    modelRequestTimes = [];
    const started = performance.now();
    const result = await runEpisode({ environmentName: AGENT_SHOP, taskIdx: RENAME_TASK, instanceId: id, settings: agentSettings() });
    const ended = performance.now();
    if (result.status !== "final" || result.turns !== TURNS) throw new Error(`episode ended ${result.status} after ${result.turns} turns`);
    if (modelRequestTimes.length !== TURNS) throw new Error(`the model received ${modelRequestTimes.length} requests for ${TURNS} turns`);
    const calls = ((await getTrajectory(result.trajectoryId))?.steps ?? []).filter((step) => step.toolName);
    if (calls.length !== TURNS - 1) throw new Error(`episode recorded ${calls.length} calls, expected ${TURNS - 1}`);
    if (episode === 0) continue; // a warm-up
    calls.forEach((call, turn) => costs.turns.push(modelRequestTimes[turn + 1]! - modelRequestTimes[turn]! - (call.durationMs ?? 0)));
    costs.start.push(modelRequestTimes[0]! - started);
    costs.end.push(ended - modelRequestTimes[TURNS - 1]!);
  }
  return costs;
}

/** Episodes per second of a rollout job of `episodes` episodes at `concurrency`. */
async function studioRate(episodes: number, concurrency: number): Promise<number> {
  const started = performance.now();
  const handle = await startRolloutJob({ environment: AGENT_SHOP, tasks: [RENAME_TASK], group: episodes, concurrency, settings: agentSettings() });
  const outcome = await handle.done;
  if (outcome.status !== "finished") throw new Error(`rollout job ended ${outcome.status}: ${outcome.error ?? ""}`);
  return episodes / ((performance.now() - started) / 1000);
}

/** AWM's way at `concurrency`: per episode a fresh uvicorn process on a seed copy, the two calls, stop. */
async function awmRate(episodes: number, concurrency: number, requests: ToolRequest[], code: string, seedDbFile: string): Promise<number> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "awm-bench-agent-awm-"));
  let next = 0;
  const worker = async () => {
    for (let episode = next++; episode < episodes; episode = next++) {
      const server = await startAwmProcess(awmEnvironmentFolder(code, path.join(root, String(episode))), seedDbFile);
      try {
        for (const request of requests) {
          const answer = await server.request(request);
          if (answer.status >= 300) throw new Error(`AWM process answered ${answer.status}: ${answer.body.slice(0, 200)}`);
        }
      } finally {
        await server.stop();
      }
    }
  };
  try {
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    return episodes / ((performance.now() - started) / 1000);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function awmInputs(): Promise<{ requests: ToolRequest[]; code: string; seedDbFile: string }> {
  const environment = await loadEnvironment(AGENT_SHOP, { artifacts: ["code"] });
  const code = environment.artifacts.code?.record.full_code;
  if (!code) throw new Error("the agent shop has no code");
  const { id } = await createInstance(AGENT_SHOP);
  const tools = instanceTools(id);
  const requests = CALLS.map(({ tool, args }) => {
    const found = tools.find((candidate) => candidate.name === tool);
    if (!found) throw new Error(`the agent shop has no tool ${tool}`);
    return buildRequest(found, args);
  });
  return { requests, code, seedDbFile: environment.seedDbFile };
}

export async function measureAgentRuns(runs: number): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  const name = "agent.turn_overhead";
  try {
    progress(`${name}: ${runs * 4} episodes, zero model latency`);
    const costs = await withAgentStudio(0, 4, () => episodeCosts(runs * 4));
    progress(`${name}_read_call: ${runs * 4} episodes of calls that only read`);
    const reads = await withAgentStudio(0, 4, () => episodeCosts(runs * 4), READ_CALLS);
    measurements.push(
      measured(name, costs.turns, "ms", TURN_OVERHEAD_GOAL_MS, {
        withP95: true,
        note: "per turn that ran a call that writes: time from one model request to the next less the tool call's own time (answer parsed, call resolved and sent, step recorded, next prompt; the episode's copy of the database the call left, taken before it answers, is inside the call's time, and the studio fetches and diffs it while the model takes its turn); tool times are whole milliseconds",
      }),
      measured(`${name}_read_call`, reads.turns, "ms", null, {
        withP95: true,
        note: "the same per turn whose call only reads (get_product): nothing is copied (the capture names the version the database still has), nothing diffed",
      }),
      measured("agent.episode_start", costs.start, "ms", null, { note: "per episode, before its first model request: the task read, the trajectory created, the initial database snapshot (the fork's first request)" }),
      measured("agent.episode_end", costs.end, "ms", null, { note: "per episode, after its last model request: the final answer recorded, the last step's snapshot and the step diffs finished, the final database, the code verifier's verdict" }),
    );
  } catch (error) {
    measurements.push(failed(name, "ms", TURN_OVERHEAD_GOAL_MS, error));
  }
  for (const concurrency of CONCURRENCIES) {
    const rateName = `agent.episodes_per_second.concurrency_${concurrency}`;
    const episodes = Math.max(16, concurrency * 2);
    try {
      progress(`${rateName}: ${episodes} episodes, studio then AWM's way`);
      const { studio, awm } = await withAgentStudio(0, concurrency, async () => {
        const inputs = await awmInputs();
        await stopAll();
        const studio = await withCpu(() => studioRate(episodes, concurrency));
        // AWM's way may not hold at this concurrency: the studio's figure stands either way.
        const awm = await withCpu(() => awmRate(episodes, concurrency, inputs.requests, inputs.code, inputs.seedDbFile)).catch((error: unknown) => new Error(errorText(error)));
        return { studio, awm };
      });
      const note = `${episodes} ${TURNS}-turn episodes as one rollout job (instances started, reset per episode, verified); goal ${EPISODE_RATE_GOAL_RATIO}× AWM's rate`;
      const what = "AWM: a fresh uvicorn process per episode on a seed copy, the same two tool calls, no model";
      measurements.push(
        awm instanceof Error
          ? // Not met, not unknown-and-passing: a goal that could not be set is not a goal reached.
            { ...measured(rateName, [studio.value], "episodes/s", null, { goalKind: "at_least", note: `${note}; AWM's way failed at this concurrency (${awm.message}), so the goal could not be set` }), pass: false }
          : measured(rateName, [studio.value], "episodes/s", Math.round(awm.value * EPISODE_RATE_GOAL_RATIO * 10) / 10, { goalKind: "at_least", note, reference: { what, samples: [awm.value] } }),
      );
      // Where the rate comes from: CPU per episode on the whole machine (the rate's bound on these cores), and the studio process's own part.
      if (studio.machineMs !== null) {
        const perEpisode = (ms: number) => Math.round((ms / episodes) * 10) / 10;
        const cpuNote = `machine CPU per episode, every process (the studio's own: ${perEpisode(studio.ownMs)} ms; the rest is environment processes, verifiers and database readers)`;
        measurements.push(
          awm instanceof Error || awm.machineMs === null
            ? measured(`agent.machine_cpu_per_episode.concurrency_${concurrency}`, [perEpisode(studio.machineMs)], "ms", null, { note: cpuNote })
            : measured(`agent.machine_cpu_per_episode.concurrency_${concurrency}`, [perEpisode(studio.machineMs)], "ms", null, { note: cpuNote, reference: { what, samples: [perEpisode(awm.machineMs)] } }),
        );
      }
    } catch (error) {
      measurements.push(failed(rateName, "episodes/s", null, error, "at_least"));
    }
  }
  const latencyName = `agent.${LATENCY_EPISODES}_episodes_latency_${LATENCY_MS}ms_concurrency_${LATENCY_CONCURRENCY}`;
  const ideal = (Math.ceil(LATENCY_EPISODES / LATENCY_CONCURRENCY) * TURNS * LATENCY_MS) / 1000;
  const latencyGoal = Math.round(ideal * 1.2 * 10) / 10;
  try {
    progress(`${latencyName}: ideal ${ideal} s`);
    const seconds = await withAgentStudio(LATENCY_MS, LATENCY_CONCURRENCY, async () => LATENCY_EPISODES / (await studioRate(LATENCY_EPISODES, LATENCY_CONCURRENCY)));
    measurements.push(measured(latencyName, [seconds], "s", latencyGoal, `ideal ${ideal} s (episodes / concurrency × ${TURNS} turns × latency); ratio to ideal ${(seconds / ideal).toFixed(2)}`));
  } catch (error) {
    measurements.push(failed(latencyName, "s", latencyGoal, error));
  }
  return measurements;
}
