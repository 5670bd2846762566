import crypto from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_CONCURRENCY } from "../../pipeline/context.ts";
import type { GenParams, GenSummary } from "../../pipeline/gen-job.ts";
import { onStageEvent, startGenJob } from "../../pipeline/job-runner.ts";
import { jobProgress } from "../../pipeline/progress.ts";
import { readSeedScenarios } from "../../pipeline/seeds.ts";
import { DEFAULT_MAX_ATTEMPTS } from "../../pipeline/stage-loop.ts";
import { DEFAULT_TASK_COUNT } from "../../pipeline/stage-tasks.ts";
import { UsageError, type CliIo } from "../output.ts";
import { printJobReport, positiveInteger, printStageEvents, resumeOwnRun } from "../job-report.ts";

export const genUsage =
  "awm-studio gen --seeds FILE --count N [--tasks K] [--concurrency C] [--json]   generate N new environments (resumes an interrupted identical run)";

export async function genCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seeds: { type: "string" },
      count: { type: "string" },
      tasks: { type: "string" },
      concurrency: { type: "string" },
      "max-attempts": { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (!values.seeds || !values.count || positionals.length > 0) throw new UsageError(genUsage);
  const seedsFile = path.resolve(values.seeds);
  const params: GenParams = {
    seedsFile,
    seeds: readSeedScenarios(seedsFile),
    count: positiveInteger(values.count, "--count"),
    tasks: values.tasks ? positiveInteger(values.tasks, "--tasks") : DEFAULT_TASK_COUNT,
    concurrency: values.concurrency ? positiveInteger(values.concurrency, "--concurrency") : DEFAULT_CONCURRENCY,
    maxAttempts: values["max-attempts"] ? positiveInteger(values["max-attempts"], "--max-attempts") : DEFAULT_MAX_ATTEMPTS,
    verifierMode: "code",
  };
  const stopEvents = values.json ? () => undefined : onStageEvent(printStageEvents(io));
  try {
    const wanted = genFingerprint(params);
    const sameRun = await resumeOwnRun(io, (job) => job.kind === "gen" && genFingerprint(job.params as GenParams) === wanted);
    const handle = sameRun ?? (await startGenJob(params));
    if (!sameRun) io.err(`job ${handle.jobId}: generating ${params.count} environment(s) from ${params.seeds.length} seed scenarios`);
    const outcome = await handle.done;
    const progress = await jobProgress(handle.jobId);
    printJobReport(io, progress, Boolean(values.json));
    const summary = outcome.summary as GenSummary | undefined;
    return outcome.status === "finished" && summary?.failures.length === 0 ? 0 : 1;
  } finally {
    stopEvents();
  }
}

/** An interrupted gen job with the same seeds, count and tasks is continued instead of starting over. */
function genFingerprint(params: GenParams): string {
  return crypto.createHash("sha256").update(JSON.stringify([params.seeds, params.count, params.tasks])).digest("hex");
}
