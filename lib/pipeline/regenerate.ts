import { loadEnvironmentInputs } from "./environment-inputs.ts";
import type { FlowResult } from "./environment-flow.ts";
import { runningJob, startRegenJob, type JobHandle } from "./job-runner.ts";
import type { RegenParams } from "./regen-job.ts";
import { DEFAULT_CONCURRENCY } from "./context.ts";
import { DEFAULT_MAX_ATTEMPTS } from "./stage-loop.ts";
import { DEFAULT_TASK_COUNT, stageDefinition } from "./stage-tasks.ts";
import type { PipelineStage } from "../awm/types.ts";
import { ConflictError, messageOf } from "../errors.ts";
import { resolveLlmTarget } from "../llm/settings.ts";
import { studioDb } from "../store/db.ts";
import { ownerAlive, ownerOf, safeParse } from "./job-store.ts";

export interface RegenerateOptions {
  cascade?: boolean;
  concurrency?: number;
  maxAttempts?: number;
  tasks?: number;
  verifierMode?: RegenParams["verifierMode"];
}

/** Starts a regen job for one stage of an environment (imported or generated); returns at once. */
export async function startRegeneration(environment: string, stage: PipelineStage, options: RegenerateOptions = {}): Promise<JobHandle> {
  // Between the check and the job's row lie several awaits: two starts at once would both pass it.
  if (starting.has(environment)) throw new ConflictError(`a regeneration of ${environment} is starting: wait for it to end, or cancel it on the Jobs page, then regenerate`);
  starting.add(environment);
  try {
    return await startChecked(environment, stage, options);
  } finally {
    starting.delete(environment);
  }
}

/** Environments whose regeneration this process is starting (checked, its job not yet stored). */
const starting = new Set<string>();

async function startChecked(environment: string, stage: PipelineStage, options: RegenerateOptions): Promise<JobHandle> {
  await assertNoRegenerationRunning(environment);
  await assertInputsExist(environment, stage);
  // Said before a job starts: a job without a model would only fail at once, after "started".
  await resolveLlmTarget("generator");
  return startRegenJob({
    environment,
    stage,
    cascade: options.cascade ?? false,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(options.tasks !== undefined && { tasks: options.tasks }),
    ...(options.verifierMode && { verifierMode: options.verifierMode }),
  });
}

/**
 * Regenerates one stage as a new version (downstream stages become stale, see stage-state.ts); with
 * `cascade`, regenerates every downstream stage too. Resolves when the job ends.
 */
export async function regenerateStage(
  environment: string,
  stage: PipelineStage,
  options: RegenerateOptions = {},
): Promise<{ jobId: string; status: "finished" | "failed" | "cancelled"; result?: FlowResult; error?: string }> {
  const handle = await startRegeneration(environment, stage, options);
  const outcome = await handle.done;
  return { jobId: handle.jobId, status: outcome.status, ...(outcome.summary !== undefined && { result: outcome.summary as FlowResult }), ...(outcome.error && { error: outcome.error }) };
}

/** Fails before any job starts when the environment lacks an artifact the stage is generated from. */
async function assertInputsExist(environment: string, stage: PipelineStage): Promise<void> {
  const inputs = await loadEnvironmentInputs(environment);
  try {
    stageDefinition(inputs, stage, stage === "verifier" ? "code:0" : "", { taskCount: DEFAULT_TASK_COUNT, verifierMode: "code" });
  } catch (error) {
    throw new ConflictError(messageOf(error));
  }
}

/**
 * One regeneration of an environment at a time, whoever starts it (the web, the CLI, another studio
 * process on the same home): two would each write their versions, and the later would silently win.
 * A job whose process is gone does not count (the next studio start resumes it); one of this process
 * does (ownerAlive speaks of other processes).
 */
async function assertNoRegenerationRunning(environment: string): Promise<void> {
  const running = await studioDb().job.findMany({ where: { kind: "regen", status: { in: ["running", "queued"] } }, select: { id: true, params: true, progress: true } });
  const same = running.find((job) => safeParse(job.params).environment === environment && (runningJob(job.id) !== undefined || ownerAlive(ownerOf(job.progress))));
  if (same) throw new ConflictError(`a regeneration of ${environment} is running (job ${same.id}): wait for it to end, or cancel it on the Jobs page, then regenerate`);
}
