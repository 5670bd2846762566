import { z } from "zod";
import { route } from "@/lib/http/handler";
import { listLlmCalls } from "@/lib/llm/calls";

export const dynamic = "force-dynamic";

const input = z.object({
  stage: z.string().optional(),
  scenario: z.string().optional(),
  failed: z.enum(["true", "false"]).transform((value) => value === "true").optional(),
  limit: z.coerce.number().int().min(1).max(1_000).optional(),
});

export const GET = route({ input }, (filters) => listLlmCalls(filters));
