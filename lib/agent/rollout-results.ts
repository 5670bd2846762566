import { NotFoundError } from "../errors.ts";
import { rolloutReport, type RolloutReport } from "./rollout-report.ts";
import { rolloutToolUsage, type RolloutToolUsage } from "./tool-usage.ts";

/** What GET /api/rollouts/{id} answers: the CLI's `rollout --report` document so far, plus tool usage. */
export interface RolloutResults {
  report: RolloutReport;
  toolUsage: RolloutToolUsage;
}

export async function rolloutResults(jobId: string): Promise<RolloutResults> {
  const report = await rolloutReport(jobId);
  if (!report) throw new NotFoundError(`no rollout job ${jobId}`);
  return { report, toolUsage: await rolloutToolUsage(jobId) };
}
