import { z } from "zod";
import { route } from "@/lib/http/handler";
import { pipelineStageSegment, segment } from "@/lib/http/params";
import { type JobStarted } from "@/lib/pipeline/job-runner";
import { resumeOrphanedJobs } from "@/lib/agent/resume-jobs";
import { startRegeneration } from "@/lib/pipeline/regenerate";

export const dynamic = "force-dynamic";

const Params = z.object({ name: segment, stage: pipelineStageSegment("stage") });
const RegenRequest = z.object({ cascade: z.boolean().default(false) });

/** Regenerates one stage (with `cascade`, every downstream stage too) in the background; returns the job id. */
export const POST = route({ params: Params, input: RegenRequest }, async ({ cascade }, { params }): Promise<JobStarted> => {
  resumeOrphanedJobs();
  const handle = await startRegeneration(params.name, params.stage, { cascade });
  return { jobId: handle.jobId };
});
