import { z } from "zod";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { restartPlaytest } from "@/lib/playtest/restart";

export const dynamic = "force-dynamic";

/** Replays the playtest's steps onto a fresh instance when its instance crashed or is gone: → the new instance's id. */
export const POST = route({ params: IdParams, input: z.object({ instance: z.string().min(1) }) }, async ({ instance }, { params }) =>
  restartPlaytest({ trajectoryId: params.id, instanceId: instance }),
);
