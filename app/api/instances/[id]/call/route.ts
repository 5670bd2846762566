import { z } from "zod";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { callInstanceTool } from "@/lib/instances/manager";

export const dynamic = "force-dynamic";

const input = z.object({ tool: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) });

/** Calls one tool: `{ tool, arguments }` → `{ ok, status, body, durationMs }`; bad arguments are a 400 naming the field. */
export const POST = route({ params: IdParams, input }, async ({ tool, arguments: args }, { params }) => callInstanceTool(params.id, tool, args));
