import { route } from "@/lib/http/handler";
import { NameParams } from "@/lib/http/params";
import { resumeOrphanedJobs } from "@/lib/agent/resume-jobs";
import { stageStates, type PipelineStages } from "@/lib/pipeline/stage-state";

export const dynamic = "force-dynamic";

/** Per stage: pending | running | passed | failed | stale, current versions, the latest run's attempts. */
export const GET = route({ params: NameParams }, async (_input, { params }): Promise<PipelineStages> => {
  resumeOrphanedJobs();
  return { stages: await stageStates(params.name) };
});
