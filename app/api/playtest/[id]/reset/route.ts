import { z } from "zod";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { resetPlaytest } from "@/lib/playtest/session";

export const dynamic = "force-dynamic";

/** Resets the instance to the seed database and records the reset as a step. */
export const POST = route({ params: IdParams, input: z.object({ instance: z.string().min(1) }) }, async ({ instance }, { params }) =>
  resetPlaytest({ trajectoryId: params.id, instanceId: instance }),
);
