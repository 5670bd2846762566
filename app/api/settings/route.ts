import { z } from "zod";
import { route } from "@/lib/http/handler";
import { loadLlmSettings, saveLlmSettings, settingsView } from "@/lib/llm/settings";

export const dynamic = "force-dynamic";

export const GET = route({}, async () => settingsView(await loadLlmSettings()));

const nullableText = z.string().max(2_000).nullable().optional();

/** A field left out stays as it is; "" or null forgets the saved value (the environment variable applies again). */
export const PUT = route(
  {
    input: z.object({
      baseUrl: nullableText,
      apiKey: nullableText,
      models: z.object({ generator: nullableText, agent: nullableText, judge: nullableText }).optional(),
    }),
  },
  (patch) => saveLlmSettings(patch),
);
