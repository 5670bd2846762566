import { z } from "zod";
import { InvalidInputError } from "@/lib/errors";
import { route } from "@/lib/http/handler";
import { ensureJobsResumed } from "@/lib/pipeline/job-runner";
import { startRegeneration } from "@/lib/pipeline/regenerate";
import { isPipelineStage, PIPELINE_STAGES } from "@/lib/pipeline/stages";

export const dynamic = "force-dynamic";

const RegenRequest = z.object({ cascade: z.boolean().default(false) });

/** Regenerates one stage (with `cascade`, every downstream stage too) in the background; returns the job id. */
export const POST = route({ input: RegenRequest }, async ({ cascade }, { params }) => {
  ensureJobsResumed();
  const stage = params.stage ?? "";
  if (!isPipelineStage(stage)) throw new InvalidInputError(`unknown stage "${stage}"; one of ${PIPELINE_STAGES.join(", ")}`);
  const handle = await startRegeneration(params.name ?? "", stage, { cascade });
  return { jobId: handle.jobId };
});
