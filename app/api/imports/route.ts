import { z } from "zod";
import { route, sseResponse } from "@/lib/http/handler";
import { importFolder } from "@/lib/library/import";
import { listImportRuns } from "@/lib/library/import-runs";

export const dynamic = "force-dynamic";

const ImportRequest = z.object({ folder: z.string().trim().min(1, "give the path of a folder on the server's disk") });

/** Recent import runs, newest first; runs whose process died are marked interrupted first. */
export const GET = route({}, () => listImportRuns());

/** Imports a folder, streaming `progress` events ({ done, total, name }) and then one `report` (or `error`). */
export const POST = route({ input: ImportRequest }, async ({ folder }) =>
  sseResponse(async (send) => {
    send("started", { folder });
    const report = await importFolder(folder, { onProgress: (progress) => send("progress", progress) });
    send("report", report);
  }),
);
