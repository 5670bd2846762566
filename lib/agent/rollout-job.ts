/**
 * A rollout group job: every task of `tasks` played `group` times, `concurrency` episodes at once.
 * Each worker keeps one instance and resets it before each episode (a fresh one after an
 * infrastructure failure in play). An episode gives its instance back as soon as its final database
 * is read, so the next one plays while it is recorded and judged. Finished rollouts are stored trajectories of the job; a resumed job
 * plays only the rest, and throws away an episode its dead owner left half-played.
 */
import { requireJudgeFor } from "./episode-verdicts.ts";
import { resolveLlmTarget } from "../llm/settings.ts";
import { createInstance, getInstance, resetInstance, stopInstance } from "../instances/manager.ts";
import { registerJobKind, resumeJob, startJob, type JobHandle } from "../pipeline/job-runner.ts";
import { NotFoundError } from "../errors.ts";
import { jobStatus } from "../pipeline/job-store.ts";
import { studioDb } from "../store/db.ts";
import { deleteTrajectory } from "../trajectories/store.ts";
import { runEpisode, type EpisodeResult } from "./episode.ts";
import { episodeSetup } from "./episode-setup.ts";
import { infraFailureOf } from "./infra-failure.ts";
import type { AgentSettings } from "./settings.ts";

export interface RolloutParams {
  environment: string;
  tasks: number[];
  group: number;
  concurrency: number;
  settings: AgentSettings;
}

/** What a rollout job stores when it ends: counts over all its runs (a resumed job's earlier ones too). */
export interface RolloutSummary {
  episodes: number;
  /** Rollouts played to their end, infrastructure failures included. */
  finished: number;
  infraFailures: number;
  cancelled: boolean;
  /** Why the job stopped before its episodes were all played: the agent model could not be reached. */
  stoppedFor?: string;
}

/**
 * Episodes in a row the agent model's endpoint failed before the job stops: past this the endpoint
 * is down, not busy, and every episode left would only be spent as another failure. A resume plays
 * them, and those the endpoint failed, again.
 */
export const ENDPOINT_FAILURES_TO_STOP = 3;
/** How soon a cancel reaches the episodes in play (each stops before its next turn). */
const CANCEL_POLL_MS = 1_000;

export interface RolloutSlot {
  taskIdx: number;
  rollout: number;
}

type Listener = (jobId: string, slot: RolloutSlot, result: EpisodeResult) => void;
const listeners: Set<Listener> = ((globalThis as { awmRolloutListeners?: Set<Listener> }).awmRolloutListeners ??= new Set());

/** Hears every episode that ends in this process. Returns the unsubscribe. */
export function onRolloutEpisode(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function runRolloutJob(jobId: string, params: RolloutParams): Promise<RolloutSummary> {
  const setup = await episodeSetup(params.environment, params.tasks, params.settings);
  const queue = await pendingSlots(jobId, params);
  let stoppedFor: string | undefined;
  let endpointFailuresInARow = 0;
  // A cancel stops the episodes in play too, before their next turn; what they played is thrown away
  // (a rollout cut short by a person is no sample of the policy), and a resume plays them again.
  // Workers look before each episode, and a timer while episodes play.
  const cancelled = new AbortController();
  const noticeCancel = async (): Promise<boolean> => {
    if (!cancelled.signal.aborted && (await jobStatus(jobId)) === "cancelled") cancelled.abort();
    return cancelled.signal.aborted;
  };
  const watch = setInterval(() => void noticeCancel().catch(() => undefined), CANCEL_POLL_MS);
  watch.unref();
  const worker = async () => {
    let instanceId: string | undefined;
    // The worker's previous episode, judged while this one plays: at most one behind each instance.
    let judging: Promise<void> = Promise.resolve();
    const judged = async (slot: RolloutSlot, result: EpisodeResult) => {
      if (result.status === "stopped" && cancelled.signal.aborted) {
        await deleteTrajectory(result.trajectoryId);
        return;
      }
      const endpointFailure = infraFailureOf("model endpoint", result.infraFailure);
      endpointFailuresInARow = endpointFailure === undefined ? 0 : endpointFailuresInARow + 1;
      if (endpointFailuresInARow >= ENDPOINT_FAILURES_TO_STOP) stoppedFor ??= endpointFailure;
      for (const listener of listeners) listener(jobId, slot, result);
    };
    try {
      for (let slot = queue.shift(); slot; slot = queue.shift()) {
        if (stoppedFor !== undefined || (await noticeCancel())) return;
        instanceId = await freshInstance(params.environment, instanceId, jobId);
        let release = () => {};
        const released = new Promise<undefined>((resolve) => (release = () => resolve(undefined)));
        const episode = runEpisode({ environmentName: params.environment, taskIdx: slot.taskIdx, instanceId, settings: params.settings, setup, jobId, rollout: slot.rollout, onReleased: release, signal: cancelled.signal, judgeStopped: false });
        // An episode that failed before releasing its instance may have failed because of it: the next gets a new one
        // (not when the model's endpoint failed: the instance is sound, and reset for the next episode).
        const failedInPlay = await Promise.race([released, episode]);
        if (failedInPlay?.status === "infra_failure" && infraFailureOf("model endpoint", failedInPlay.infraFailure) === undefined) {
          await stopInstance(instanceId, "replaced after an infrastructure failure in play").catch(() => undefined);
          instanceId = undefined;
        }
        const played = slot;
        const previous = judging;
        judging = settledInOrder(previous, episode.then((result) => judged(played, result)));
        judging.catch(() => undefined); // read at the next episode or at the worker's end
        await previous;
      }
    } finally {
      await judging.finally(async () => {
        if (instanceId) await stopInstance(instanceId, "its rollout job's worker is done").catch(() => undefined);
      });
    }
  };
  // Every worker ends (and stops its instance) before the job does, even when one of them fails.
  const ended = await Promise.allSettled(Array.from({ length: Math.min(params.concurrency, queue.length) }, worker)).finally(() => clearInterval(watch));
  const failed = ended.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failed) throw failed.reason;
  const [finished, infraFailures] = await Promise.all([
    studioDb().trajectory.count({ where: { jobId, agentStatus: { not: "running" } } }),
    studioDb().trajectory.count({ where: { jobId, agentStatus: "infra_failure" } }),
  ]);
  return { episodes: params.tasks.length * params.group, finished, infraFailures, cancelled: cancelled.signal.aborted, ...(stoppedFor !== undefined && { stoppedFor }) };
}

/** Settles once both have (neither is left running when the other fails), with the first one's failure, if any. */
async function settledInOrder(first: Promise<void>, second: Promise<void>): Promise<void> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === "rejected") throw a.reason;
  if (b.status === "rejected") throw b.reason;
}

/**
 * Slots without a finished rollout. A rollout left "running" by a dead process, or that the agent
 * model's endpoint failed (no fault of the task or the environment), is deleted, to be played again.
 */
async function pendingSlots(jobId: string, params: RolloutParams): Promise<RolloutSlot[]> {
  const stored = await studioDb().trajectory.findMany({ where: { jobId }, select: { id: true, taskIdx: true, rollout: true, agentStatus: true, infraError: true } });
  const finished = new Set<string>();
  for (const row of stored) {
    const endpointFailed = row.agentStatus === "infra_failure" && infraFailureOf("model endpoint", row.infraError) !== undefined;
    if (row.agentStatus === "running" || endpointFailed) await deleteTrajectory(row.id);
    else finished.add(`${row.taskIdx}/${row.rollout}`);
  }
  return params.tasks.flatMap((taskIdx) => Array.from({ length: params.group }, (_, rollout) => ({ taskIdx, rollout }))).filter((slot) => !finished.has(`${slot.taskIdx}/${slot.rollout}`));
}

/** The worker's instance reset to the seed state, or a new one when it has none or it stopped. */
async function freshInstance(environment: string, instanceId: string | undefined, jobId: string): Promise<string> {
  if (instanceId && getInstance(instanceId).status === "running") {
    try {
      await resetInstance(instanceId);
      return instanceId;
    } catch {
      await stopInstance(instanceId, "its reset failed").catch(() => undefined);
    }
  }
  return (await createInstance(environment, { usedBy: { kind: "rollout", jobId } })).id;
}

/** Runs a rollout job that ended (failed, cancelled, finished) or whose process died again: it plays only the rollouts left. */
export async function resumeRolloutJob(jobId: string): Promise<JobHandle> {
  const job = await studioDb().job.findUnique({ where: { id: jobId }, select: { kind: true, params: true } });
  if (job?.kind !== "rollout") throw new NotFoundError(`no rollout job ${jobId}`);
  const params = JSON.parse(job.params) as RolloutParams;
  // The model may have been fixed in Settings since: said now, not after the job is running again.
  await resolveLlmTarget("agent", undefined, params.settings.model);
  return resumeJob(jobId);
}

/** Starts a rollout job (stored, resumable) in this process. */
/** Said before a job is stored: a job without an agent model (or the judge its reward needs) would only fail at once, and stay behind failed. */
export async function startRolloutJob(params: RolloutParams): Promise<JobHandle> {
  await resolveLlmTarget("agent", undefined, params.settings.model);
  await requireJudgeFor(params.settings.reward, params.environment, params.tasks);
  return startJob("rollout", params);
}

registerJobKind("rollout", async (jobId, params) => {
  const summary = await runRolloutJob(jobId, params as RolloutParams);
  if (summary.stoppedFor !== undefined) {
    const error = `stopped: the agent model's endpoint failed ${ENDPOINT_FAILURES_TO_STOP} episodes in a row (${summary.stoppedFor}); fix it (Settings, or the model's server) and resume the job (Resume on its page, or awm-studio rollout --resume ${jobId}): it plays the episodes left and those the endpoint failed`;
    return { status: "failed", summary, error };
  }
  return { status: summary.cancelled ? "cancelled" : "finished", summary };
});
