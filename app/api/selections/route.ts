import { z } from "zod";
import { route } from "@/lib/http/handler";
import { MAX_NAMED_ENVIRONMENTS } from "@/lib/library/environment-scope";
import { saveSelection } from "@/lib/library/saved-selection";

export const dynamic = "force-dynamic";

const input = z.object({ names: z.array(z.string().min(1)).min(1).max(MAX_NAMED_ENVIRONMENTS) });

/** Saves a set of environments → `{ id }`, for URLs that name it (`/datasets?selection=<id>`). */
export const POST = route({ input }, async ({ names }) => ({ id: await saveSelection(names) }));
