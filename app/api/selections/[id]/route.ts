import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { selectionNames } from "@/lib/library/saved-selection";

export const dynamic = "force-dynamic";

/** A saved selection's environment names → `{ names }`. */
export const GET = route({ params: IdParams }, async (_input, { params }) => ({ names: await selectionNames(params.id) }));
