import { parseArgs } from "node:util";
import { DEFAULT_CONCURRENCY } from "../../pipeline/context.ts";
import { onStageEvent } from "../../pipeline/job-runner.ts";
import { jobProgress } from "../../pipeline/progress.ts";
import { startRegeneration } from "../../pipeline/regenerate.ts";
import { DEFAULT_MAX_ATTEMPTS } from "../../pipeline/stage-loop.ts";
import { PIPELINE_STAGES } from "../../awm/types.ts";
import { isPipelineStage } from "../../pipeline/stages.ts";
import { UsageError, type CliIo } from "../output.ts";
import { positiveInteger, printJobReport, printStageEvents, resumeOwnRun } from "../job-report.ts";

export const regenUsage = `awm-studio regen <env> <stage> [--cascade] [--json]   regenerate one stage (${PIPELINE_STAGES.join("|")}) as a new version`;

export async function regenCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { cascade: { type: "boolean" }, json: { type: "boolean" }, concurrency: { type: "string" }, "max-attempts": { type: "string" } },
  });
  const [environment, stage] = positionals;
  if (!environment || !stage || positionals.length > 2) throw new UsageError(regenUsage);
  if (!isPipelineStage(stage)) throw new UsageError(`unknown stage "${stage}"; one of ${PIPELINE_STAGES.join(", ")}`);
  const stopEvents = values.json ? () => undefined : onStageEvent(printStageEvents(io));
  try {
    // An interrupted regeneration of this stage of this environment is continued instead of starting over.
    const sameRun = await resumeOwnRun(io, (job) => {
      const params = job.params as { environment?: string; stage?: string; cascade?: boolean };
      return job.kind === "regen" && params.environment === environment && params.stage === stage && params.cascade === Boolean(values.cascade);
    });
    const handle =
      sameRun ??
      (await startRegeneration(environment, stage, {
        cascade: Boolean(values.cascade),
        concurrency: values.concurrency ? positiveInteger(values.concurrency, "--concurrency") : DEFAULT_CONCURRENCY,
        maxAttempts: values["max-attempts"] ? positiveInteger(values["max-attempts"], "--max-attempts") : DEFAULT_MAX_ATTEMPTS,
      }));
    const outcome = await handle.done;
    printJobReport(io, await jobProgress(handle.jobId), Boolean(values.json));
    return outcome.status === "finished" ? 0 : 1;
  } finally {
    stopEvents();
  }
}
