import { z } from "zod";
import { route } from "@/lib/http/handler";
import { createInstance, listInstances } from "@/lib/instances/manager";

export const dynamic = "force-dynamic";

export const GET = route({}, async () => ({ instances: listInstances() }));

/** Starts an instance of an environment: `{ "environment": "<name>" }`. */
export const POST = route({ input: z.object({ environment: z.string().min(1) }) }, async ({ environment }) => createInstance(environment));
