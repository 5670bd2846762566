import { z } from "zod";
import { route } from "@/lib/http/handler";
import { createInstance, instanceList } from "@/lib/instances/manager";

export const dynamic = "force-dynamic";

/** Live and recent instances, the starts waiting for room (with their positions) and the cap. */
export const GET = route({}, async () => instanceList());

/** Starts an instance of an environment: `{ "environment": "<name>" }`. */
export const POST = route({ input: z.object({ environment: z.string().min(1) }) }, async ({ environment }) => createInstance(environment));
