import { z } from "zod";
import { route } from "@/lib/http/handler";
import { startPlaytest } from "@/lib/playtest/session";

export const dynamic = "force-dynamic";

const input = z.object({ environment: z.string().min(1), taskIdx: z.number().int().min(0) });

/** Starts a playtest of one task: `{ environment, taskIdx }` → `{ trajectoryId, instanceId }`. */
export const POST = route({ input }, async ({ environment, taskIdx }) => startPlaytest(environment, taskIdx));
