import { route } from "@/lib/http/handler";
import { llmCallStages } from "@/lib/llm/calls";

export const dynamic = "force-dynamic";

export const GET = route({}, () => llmCallStages());
