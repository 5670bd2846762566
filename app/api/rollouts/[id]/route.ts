import { rolloutReport } from "@/lib/agent/rollout-report";
import { rolloutToolUsage } from "@/lib/agent/tool-usage";
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/handler";
import { ensureJobsResumed } from "@/lib/pipeline/job-runner";

export const dynamic = "force-dynamic";

/** A rollout job's results so far: per task and rollout (the CLI's `rollout --report` document), plus tool usage. */
export const GET = route({}, async (_input, { params }) => {
  ensureJobsResumed();
  const jobId = params.id ?? "";
  const report = await rolloutReport(jobId);
  if (!report) throw new NotFoundError(`no rollout job ${jobId}`);
  return { report, toolUsage: await rolloutToolUsage(jobId) };
});
