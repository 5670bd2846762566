import { z } from "zod";
import { route } from "@/lib/http/handler";
import { loadLlmSettings, saveLlmSettings, settingsView } from "@/lib/llm/settings";

export const dynamic = "force-dynamic";

export const GET = route({}, async () => settingsView(await loadLlmSettings()));

const nullableText = z.string().max(2_000).nullable().optional();
/** An http(s) URL, or "" / null to forget it: anything else would only fail at the first model call. */
const baseUrl = nullableText.refine((value) => !value || isHttpUrl(value), { message: "the base URL must be an http:// or https:// URL, e.g. https://api.openai.com/v1" });

function isHttpUrl(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** A field left out stays as it is; "" or null forgets the saved value (the environment variable applies again). */
export const PUT = route(
  {
    input: z.object({
      baseUrl,
      apiKey: nullableText,
      models: z.object({ generator: nullableText, agent: nullableText, judge: nullableText }).optional(),
    }),
  },
  (patch) => saveLlmSettings(patch),
);
