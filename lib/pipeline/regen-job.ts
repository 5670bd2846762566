import type { PipelineStage, VerifierMode } from "../awm/types.ts";
import { runEnvironmentStages, type FlowResult } from "./environment-flow.ts";
import { loadEnvironmentInputs } from "./environment-inputs.ts";
import type { PipelineContext } from "./stage-loop.ts";
import { DEFAULT_TASK_COUNT } from "./stage-tasks.ts";
import { downstreamStages } from "./stages.ts";

export interface RegenParams {
  environment: string;
  stage: PipelineStage;
  cascade: boolean;
  concurrency: number;
  maxAttempts: number;
  /** Tasks to ask for; default: as many as the environment has now (10 when none). */
  tasks?: number;
  verifierMode?: VerifierMode;
}

export function regenStages(params: Pick<RegenParams, "stage" | "cascade">): PipelineStage[] {
  return [params.stage, ...(params.cascade ? downstreamStages(params.stage) : [])];
}

/** Regenerates one stage of an environment as a new version (and, with cascade, every stage downstream). */
export async function runRegenJob(context: PipelineContext, params: RegenParams): Promise<FlowResult> {
  const inputs = await loadEnvironmentInputs(params.environment);
  const taskCount = params.tasks ?? (inputs.tasks?.tasks.length || DEFAULT_TASK_COUNT);
  const onlySql = inputs.verifiers.length > 0 && inputs.verifiers.every((verifier) => verifier.mode === "sql");
  const verifierMode = params.verifierMode ?? (onlySql ? "sql" : "code");
  return runEnvironmentStages(context, params.environment, regenStages(params), { taskCount, verifierMode });
}
