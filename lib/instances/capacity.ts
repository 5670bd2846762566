/**
 * How many episodes this machine can hold at once, from memory rather than a count of processes:
 * a budget (AWM_STUDIO_EPISODE_MEMORY_MB, default half of the machine's memory) divided by what an
 * episode costs, measured on the live ones as proportional set size (the pages of every process of
 * the episode, its children too, with their share of the pages shared with the host and siblings,
 * plus its share of the hosts themselves). Until there is one to measure, an episode is assumed to cost INITIAL_EPISODE_BYTES.
 */
import os from "node:os";
import { liveHosts } from "../runtime/host-pool.ts";
import { proportionalBytes } from "../runtime/host-processes.ts";

export const INITIAL_EPISODE_BYTES = 64 * 1024 * 1024;
/** Measuring reads /proc for every live process: at most this often. */
const MEASURE_EVERY_MS = 2_000;

export interface EpisodeCost {
  /** Bytes one episode costs, measured or assumed. */
  bytes: number;
  /** How many live episodes the figure comes from (0: assumed). */
  measuredOn: number;
}

let cached: { at: number; cost: EpisodeCost } | undefined;

/** The memory the episodes together may take (AWM_STUDIO_EPISODE_MEMORY_MB, default half of this machine's). */
export function episodeMemoryBudget(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.AWM_STUDIO_EPISODE_MEMORY_MB?.trim();
  if (!text) return Math.floor(os.totalmem() / 2);
  const megabytes = Number(text);
  if (!Number.isInteger(megabytes) || megabytes <= 0) throw new Error(`AWM_STUDIO_EPISODE_MEMORY_MB must be a positive integer, got "${text}"`);
  return megabytes * 1024 * 1024;
}

/** What one live episode costs now (cached for MEASURE_EVERY_MS). */
export function episodeCost(now = Date.now()): EpisodeCost {
  if (cached && now - cached.at < MEASURE_EVERY_MS) return cached.cost;
  let total = 0;
  let episodes = 0;
  for (const host of liveHosts()) {
    const measured = host
      .episodeProcesses()
      .map((pids) => pids.map(proportionalBytes).filter((bytes): bytes is number => bytes !== undefined))
      .filter((sizes) => sizes.length > 0)
      .map((sizes) => sizes.reduce((sum, bytes) => sum + bytes, 0));
    if (measured.length === 0) continue;
    total += measured.reduce((sum, bytes) => sum + bytes, 0) + (host.pythonProcess() === undefined ? 0 : (proportionalBytes(host.pythonProcess()!) ?? 0));
    episodes += measured.length;
  }
  const cost = episodes === 0 ? { bytes: INITIAL_EPISODE_BYTES, measuredOn: 0 } : { bytes: Math.ceil(total / episodes), measuredOn: episodes };
  cached = { at: now, cost };
  return cost;
}

/** Episodes allowed at once: the budget over the cost, at least one. */
export function episodeCapacity(budgetBytes: number, cost: EpisodeCost): number {
  return Math.max(1, Math.floor(budgetBytes / cost.bytes));
}
