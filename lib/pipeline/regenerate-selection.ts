/** Bulk regeneration: one pipeline regen job per selected environment, as `regen <env> <stage>` starts it. */
import { startRegeneration } from "./regenerate.ts";
import type { PipelineStage } from "../awm/types.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { checkEnvironments } from "../library/environment-scope.ts";
import { ConflictError, messageOf } from "../errors.ts";
import { resolveLlmTarget } from "../llm/settings.ts";

export interface SelectionRegeneration {
  /** The jobs started, in the order of the selection (follow them on /jobs). */
  jobs: { environment: string; jobId: string }[];
  /** Environments whose stage cannot be generated (an input artifact is missing), with why. */
  refused: { environment: string; error: string }[];
}

/** Unknown names fail before any job starts; an environment the stage cannot run on is reported, the rest still start. */
export async function regenerateSelection(names: string[], stage: PipelineStage, options: { cascade: boolean }, db: StudioTx = studioDb()): Promise<SelectionRegeneration> {
  await checkEnvironments(names, db);
  // Once for the whole selection, not once per environment.
  await resolveLlmTarget("generator", db).catch((error: unknown) => {
    throw new ConflictError(`no regeneration started: ${messageOf(error)}`);
  });
  const result: SelectionRegeneration = { jobs: [], refused: [] };
  for (const environment of names) {
    try {
      const handle = await startRegeneration(environment, stage, options);
      result.jobs.push({ environment, jobId: handle.jobId });
    } catch (error) {
      result.refused.push({ environment, error: messageOf(error) });
    }
  }
  return result;
}
