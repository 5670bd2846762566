import { route } from "@/lib/http/handler";
import { datasetSummary } from "@/lib/export/dataset-summary";
import { selectionQuery } from "@/lib/export/selection-query";

export const dynamic = "force-dynamic";

export const GET = route({ input: selectionQuery }, ({ envs, curated }) => datasetSummary({ environments: envs, curatedOnly: curated }));
