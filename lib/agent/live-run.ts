/**
 * One agent episode watched live (the web's "Run agent"): a fresh instance, the episode with its
 * steps reported as they are recorded, the instance stopped at the end. A live run can be stopped
 * by its trajectory id from any request; it ends before its next turn and is still judged.
 *
 * A live run's trajectory names the process playing it, with a heartbeat: a run whose process died
 * (the studio killed or restarted mid-run) ends as an infrastructure failure the next time anyone
 * reads trajectories, instead of showing as running forever.
 */
import crypto from "node:crypto";
import { createInstance, stopInstance } from "../instances/manager.ts";
import { ConflictError } from "../errors.ts";
import { studioDb } from "../store/db.ts";
import { HEARTBEAT_MS, ownerAlive, thisOwner, type ProcessOwner } from "../store/process-owner.ts";
import type { StepView } from "../trajectories/store.ts";
import { runEpisode, type EpisodeResult } from "./episode.ts";
import type { AgentSettings } from "./settings.ts";

export interface LiveRunInput {
  environment: string;
  taskIdx: number;
  settings: AgentSettings;
}

/** The `started` event of POST /api/agent-runs: the trajectory being recorded and the instance it plays in. */
export interface LiveRunStarted {
  trajectoryId: string;
  instanceId: string;
}

export interface LiveRunWatch {
  started(run: LiveRunStarted): void;
  step(step: StepView): void;
}

const running: Map<string, AbortController> = ((globalThis as { awmLiveAgentRuns?: Map<string, AbortController> }).awmLiveAgentRuns ??= new Map());

/** This process, told apart from an earlier one that had the same pid (a restarted container's). */
const PROCESS: string = ((globalThis as { awmLiveRunProcess?: string }).awmLiveRunProcess ??= crypto.randomUUID());

interface LiveRunOwner extends ProcessOwner {
  process: string;
}

function ownerNow(): string {
  return JSON.stringify({ ...thisOwner(), process: PROCESS } satisfies LiveRunOwner);
}

function parseOwner(text: string): LiveRunOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LiveRunOwner> | null;
    return typeof owner?.pid === "number" && typeof owner.host === "string" && typeof owner.heartbeatAt === "string" && typeof owner.process === "string" ? (owner as LiveRunOwner) : undefined;
  } catch {
    return undefined;
  }
}

export async function runAgentLive(input: LiveRunInput, watch: LiveRunWatch, signal?: AbortSignal): Promise<EpisodeResult> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort);
  const instance = await createInstance(input.environment, { usedBy: { kind: "agent-run" } });
  let trajectoryId: string | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  try {
    return await runEpisode({
      environmentName: input.environment,
      taskIdx: input.taskIdx,
      instanceId: instance.id,
      settings: input.settings,
      signal: stop.signal,
      owner: ownerNow(),
      onStart: (id) => {
        trajectoryId = id;
        running.set(id, stop);
        heartbeat = setInterval(() => void beat(id), HEARTBEAT_MS).unref();
        watch.started({ trajectoryId: id, instanceId: instance.id });
      },
      onStep: (step) => watch.step(step),
    });
  } finally {
    clearInterval(heartbeat);
    signal?.removeEventListener("abort", onAbort);
    if (trajectoryId) running.delete(trajectoryId);
    await stopInstance(instance.id, "its agent run ended").catch(() => undefined);
  }
}

/** Asks a live run to stop before its next turn. */
export function stopAgentLive(trajectoryId: string): void {
  const run = running.get(trajectoryId);
  if (!run) throw new ConflictError(`no live agent run ${trajectoryId} in this studio: it has ended, or it is part of a rollout job (cancel the job instead)`);
  run.abort();
}

async function beat(trajectoryId: string): Promise<void> {
  await studioDb()
    .trajectory.updateMany({ where: { id: trajectoryId, agentStatus: "running" }, data: { agentOwner: ownerNow() } })
    .catch(() => undefined);
}

/**
 * Live runs left running by a process that is gone end as infrastructure failures (their steps so
 * far kept, no verdict). Returns their ids.
 */
export async function endOrphanedLiveRuns(): Promise<string[]> {
  const db = studioDb();
  const candidates = await db.trajectory.findMany({ where: { source: "agent", agentStatus: "running", jobId: null }, select: { id: true, agentOwner: true } });
  const ended: string[] = [];
  for (const candidate of candidates) {
    const owner = parseOwner(candidate.agentOwner);
    if (owner?.process === PROCESS || ownerAlive(owner)) continue;
    const who = owner ? `the studio process that played it (pid ${owner.pid})` : "the process that played it";
    const { count } = await db.trajectory.updateMany({
      where: { id: candidate.id, agentStatus: "running" },
      data: { agentStatus: "infra_failure", infraError: `${who} ended before the run did` },
    });
    if (count > 0) ended.push(candidate.id);
  }
  return ended;
}
