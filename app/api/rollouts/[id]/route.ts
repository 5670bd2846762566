import { rolloutResults } from "@/lib/agent/rollout-results";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { ensureJobsResumed } from "@/lib/pipeline/job-runner";

export const dynamic = "force-dynamic";

/** A rollout job's results so far: per task and rollout (the CLI's `rollout --report` document), plus tool usage. */
export const GET = route({ params: IdParams }, async (_input, { params }) => {
  ensureJobsResumed();
  return rolloutResults(params.id);
});
