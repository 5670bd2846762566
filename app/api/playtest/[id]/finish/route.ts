import { z } from "zod";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { finishPlaytest } from "@/lib/playtest/session";

export const dynamic = "force-dynamic";

const input = z.object({ instance: z.string().min(1), finalAnswer: z.string().default("") });

/** Ends the playtest with the final answer and runs the task's code-mode verifier: → `{ verdict, cumulativeDiff }`. */
export const POST = route({ params: IdParams, input }, async ({ instance, finalAnswer }, { params }) =>
  finishPlaytest({ trajectoryId: params.id, instanceId: instance }, finalAnswer),
);
