import { route } from "@/lib/http/handler";
import { ensureJobsResumed } from "@/lib/pipeline/job-runner";
import { stageStates } from "@/lib/pipeline/stage-state";

export const dynamic = "force-dynamic";

/** Per stage: pending | running | passed | failed | stale, current versions, the latest run's attempts. */
export const GET = route({}, async (_input, { params }) => {
  ensureJobsResumed();
  return { stages: await stageStates(params.name ?? "") };
});
