import { route, sseResponse } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { followJob } from "@/lib/pipeline/follow-job";
import { resumeOrphanedJobs } from "@/lib/agent/resume-jobs";
import { existingJobProgress } from "@/lib/pipeline/progress";

export const dynamic = "force-dynamic";

/**
 * Server-sent events for one job: `attempt` for every finished attempt (when this server runs the
 * job), `progress` about every second and when it ends, then `done` with the final progress.
 */
export const GET = route({ params: IdParams }, async (_input, { params, request }) => {
  resumeOrphanedJobs();
  const progress = await existingJobProgress(params.id);
  // Ends when the request is aborted or the stream is cancelled (the client went), whichever comes first.
  return sseResponse((send, gone) => followJob(progress, send, AbortSignal.any([request.signal, gone])));
});
