/**
 * The last verifier-health check of an environment, kept per verifier: each task's no-op run, which
 * its status rests on (lib/curation/task-status.ts). Replaced as a set on every check.
 */
import { stringifyExactJson } from "../json/exact-json.ts";
import type { StudioTx } from "../store/db.ts";
import type { VerifierHealthEntry } from "./health-assessment.ts";

export async function recordVerifierChecks(environmentId: string, entries: VerifierHealthEntry[], db: StudioTx): Promise<void> {
  await db.verifierHealthCheck.deleteMany({ where: { environmentId } });
  await db.verifierHealthCheck.createMany({
    data: entries.map((entry) => ({
      environmentId,
      taskIdx: entry.taskIdx,
      mode: entry.mode,
      status: entry.status,
      output: entry.output === undefined ? "" : stringifyExactJson(entry.output),
      error: entry.error ?? "",
    })),
  });
}
