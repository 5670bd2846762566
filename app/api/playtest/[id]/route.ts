import { z } from "zod";
import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { exactJsonResponse } from "@/lib/json/exact-json";
import { getPlaytestView } from "@/lib/playtest/view";

export const dynamic = "force-dynamic";

/** The playtest so far: `?instance=<id>` names its instance (the page's URL carries it). Numbers keep every digit. */
export const GET = route({ params: IdParams, input: z.object({ instance: z.string().default("") }) }, async ({ instance }, { params }) => exactJsonResponse(await getPlaytestView(params.id, instance)));
