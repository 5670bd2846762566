import { z } from "zod";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { exactJsonResponse, parseExactJson } from "@/lib/json/exact-json";
import { playtestCall } from "@/lib/playtest/session";
import { InvalidInputError, messageOf } from "@/lib/errors";

export const dynamic = "force-dynamic";

const input = z.object({
  instance: z.string().min(1),
  tool: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).optional(),
  /** The arguments as JSON text, so every number keeps its digits (JSON.parse would round 9007199254740993). */
  argumentsJson: z.string().optional(),
  /** Send without checking the arguments against the tool's schema. */
  raw: z.boolean().default(false),
});

/** Calls a tool and records the step: → `{ response, diff, cumulativeDiff, step }`, numbers with every digit. */
export const POST = route({ params: IdParams, input }, async ({ instance, tool, arguments: args, argumentsJson, raw }, { params }) =>
  exactJsonResponse(await playtestCall({ trajectoryId: params.id, instanceId: instance }, tool, argumentsJson === undefined ? (args ?? {}) : argumentsObject(argumentsJson), { raw })),
);

function argumentsObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseExactJson(text);
  } catch (error) {
    throw new InvalidInputError(`argumentsJson is not JSON: ${messageOf(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidInputError("argumentsJson must be a JSON object ({ ... })");
  return value as Record<string, unknown>;
}
