import { resumeRolloutJob } from "@/lib/agent/rollout-job";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";

export const dynamic = "force-dynamic";

/** Runs a stopped rollout job (failed, cancelled, or left by a dead process) again: it plays the rollouts left. */
export const POST = route({ params: IdParams }, async (_input, { params }) => ({ jobId: (await resumeRolloutJob(params.id)).jobId }));
