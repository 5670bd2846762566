import { z } from "zod";
import { VERIFIER_MODES } from "@/lib/awm/types";
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { getTrajectory } from "@/lib/trajectories/store";
import { verifyTrajectory } from "@/lib/verify/verify-trajectory";

export const dynamic = "force-dynamic";

/** Runs the task's verifier of the given mode (sql: then the LLM judge) and returns the stored verdict. */
export const POST = route({ params: IdParams, input: z.object({ mode: z.enum(VERIFIER_MODES) }) }, async ({ mode }, { params }) => {
  if (!(await getTrajectory(params.id))) throw new NotFoundError(`no trajectory ${params.id}`);
  return verifyTrajectory(params.id, mode);
});
