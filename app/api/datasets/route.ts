import { route } from "@/lib/http/handler";
import { datasetSummary } from "@/lib/export/dataset-summary";
import { runSelectionOf, selectionQuery } from "@/lib/export/selection-query";

export const dynamic = "force-dynamic";

export const GET = route({ input: selectionQuery }, async (query) => datasetSummary(await runSelectionOf(query)));
