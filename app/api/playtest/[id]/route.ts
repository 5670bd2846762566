import { z } from "zod";
import { route } from "@/lib/http/handler";
import { getPlaytestView } from "@/lib/playtest/view";

export const dynamic = "force-dynamic";

/** The playtest so far: `?instance=<id>` names its instance (the page's URL carries it). */
export const GET = route({ input: z.object({ instance: z.string().default("") }) }, async ({ instance }, { params }) => getPlaytestView(params.id ?? "", instance));
