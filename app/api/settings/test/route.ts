import { z } from "zod";
import { route } from "@/lib/http/handler";
import { LLM_ROLES } from "@/lib/llm/roles";
import { testLlmConnection } from "@/lib/llm/test-connection";

export const dynamic = "force-dynamic";

export const POST = route({ input: z.object({ role: z.enum(LLM_ROLES).default("judge") }) }, ({ role }) => testLlmConnection(role));
