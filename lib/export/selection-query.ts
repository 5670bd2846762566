/**
 * The export selection as the web sends it in a query string: `selection=<id>` (a saved selection,
 * lib/library/saved-selection.ts; none means every included environment) and `curated=1`.
 */
import { z } from "zod";
import { selectionNames } from "../library/saved-selection.ts";
import { EXPORT_FORMATS } from "./export-runs.ts";
import type { RunSelection } from "./run-selection.ts";

export const selectionQuery = z.object({
  selection: z.string().optional(),
  curated: z
    .enum(["1", "0"])
    .optional()
    .transform((value) => value === "1"),
});

export const downloadQuery = selectionQuery.extend({ format: z.enum(EXPORT_FORMATS) });

/** The runs a query selects: the saved selection's environments (or all included ones), every task or curated ones. */
export async function runSelectionOf(query: z.infer<typeof selectionQuery>): Promise<RunSelection> {
  return { environments: query.selection ? await selectionNames(query.selection) : [], curatedOnly: query.curated };
}
