import { z } from "zod";
import { route } from "@/lib/http/handler";
import { playtestCall } from "@/lib/playtest/session";

export const dynamic = "force-dynamic";

const input = z.object({ instance: z.string().min(1), tool: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) });

/** Calls a tool and records the step: → `{ response, diff, cumulativeDiff, step }`. */
export const POST = route({ input }, async ({ instance, tool, arguments: args }, { params }) =>
  playtestCall({ trajectoryId: params.id ?? "", instanceId: instance }, tool, args),
);
