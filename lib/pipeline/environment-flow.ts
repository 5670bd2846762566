import { revalidateEnvironment } from "../library/validate-environment.ts";
import { studioDb } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { loadEnvironmentInputs } from "./environment-inputs.ts";
import { runStage, type PipelineContext, type StageResult } from "./stage-loop.ts";
import { stageTasks, type StageOptions } from "./stage-tasks.ts";
import type { PipelineStage } from "../awm/types.ts";

export interface FlowResult {
  environmentName: string;
  /** The first stage that failed its check after every attempt; later stages were not run. */
  failedStage?: PipelineStage;
  errors: string[];
}

/**
 * Runs stages of one environment in order, each from the artifacts current when it starts. Verifier
 * tasks run side by side. A stage that passes is revalidated into the library (issues, counts, seed
 * database); a stage that fails stops the flow, since later stages would be built on it.
 */
export async function runEnvironmentStages(
  context: PipelineContext,
  environmentName: string,
  stages: readonly PipelineStage[],
  options: StageOptions,
): Promise<FlowResult> {
  const db = studioDb();
  // A stage that passed in a process that died may not have reached the library yet.
  let unrecorded = false;
  const record = async () => {
    await revalidateEnvironment(await loadEnvironment(environmentName, {}, db), { db, verifierHealth: true });
    unrecorded = false;
  };
  for (const stage of stages) {
    const inputs = await loadEnvironmentInputs(environmentName, db);
    // Settled, all of them: a task that throws (its model call failed) must not leave its siblings writing after the job has ended.
    const settled = await Promise.allSettled(stageTasks(context, inputs, stage, options).map((task) => runStage(context, task, db)));
    const thrown = settled.find((outcome) => outcome.status === "rejected");
    if (thrown) throw thrown.reason;
    const results = settled.map((outcome) => (outcome as PromiseFulfilledResult<StageResult>).value);
    unrecorded ||= results.some((result) => !result.ranNow && result.status === "passed");
    if (results.some((result) => result.ranNow && result.status === "passed")) await record();
    const failed = results.filter((result) => result.status === "failed");
    if (failed.length > 0) {
      if (unrecorded) await record();
      return { environmentName, failedStage: stage, errors: failed.flatMap((result) => result.checkResult.errors) };
    }
  }
  if (unrecorded) await record();
  return { environmentName, errors: [] };
}
