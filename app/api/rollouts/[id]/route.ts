import { rolloutResults } from "@/lib/agent/rollout-results";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { resumeOrphanedJobs } from "@/lib/agent/resume-jobs";

export const dynamic = "force-dynamic";

/** A rollout job's results so far: per task and rollout (the CLI's `rollout --report` document), plus tool usage. */
export const GET = route({ params: IdParams }, async (_input, { params }) => {
  resumeOrphanedJobs();
  return rolloutResults(params.id);
});
