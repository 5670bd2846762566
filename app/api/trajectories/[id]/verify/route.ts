import { z } from "zod";
import { VERIFIER_MODES } from "@/lib/awm/types";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { verifyTrajectory } from "@/lib/verify/verify-trajectory";

export const dynamic = "force-dynamic";

/** Runs the task's verifier of the given mode (sql: then the LLM judge) and returns the stored verdict. */
export const POST = route({ params: IdParams, input: z.object({ mode: z.enum(VERIFIER_MODES) }) }, async ({ mode }, { params }) => verifyTrajectory(params.id, mode));
