/**
 * One agent episode watched live (the web's "Run agent"): a fresh instance, the episode with its
 * steps reported as they are recorded, the instance stopped at the end. A live run can be stopped
 * by its trajectory id from any request; it ends before its next turn and is still judged.
 */
import { createInstance, stopInstance } from "../instances/manager.ts";
import { ConflictError } from "../errors.ts";
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

export async function runAgentLive(input: LiveRunInput, watch: LiveRunWatch, signal?: AbortSignal): Promise<EpisodeResult> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort);
  const instance = await createInstance(input.environment);
  let trajectoryId: string | undefined;
  try {
    return await runEpisode({
      environmentName: input.environment,
      taskIdx: input.taskIdx,
      instanceId: instance.id,
      settings: input.settings,
      signal: stop.signal,
      onStart: (id) => {
        trajectoryId = id;
        running.set(id, stop);
        watch.started({ trajectoryId: id, instanceId: instance.id });
      },
      onStep: (step) => watch.step(step),
    });
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (trajectoryId) running.delete(trajectoryId);
    await stopInstance(instance.id).catch(() => undefined);
  }
}

/** Asks a live run to stop before its next turn. */
export function stopAgentLive(trajectoryId: string): void {
  const run = running.get(trajectoryId);
  if (!run) throw new ConflictError(`no live agent run ${trajectoryId} in this studio: it has ended, or it is part of a rollout job (cancel the job instead)`);
  run.abort();
}
