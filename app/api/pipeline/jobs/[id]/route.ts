import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { resumeOrphanedJobs } from "@/lib/agent/resume-jobs";
import { existingJobProgress } from "@/lib/pipeline/progress";

export const dynamic = "force-dynamic";

/** One job's progress: counts, ETA, tokens and cost per stage and per environment. */
export const GET = route({ params: IdParams }, async (_input, { params }) => {
  resumeOrphanedJobs();
  return existingJobProgress(params.id);
});
