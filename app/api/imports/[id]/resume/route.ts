import { route, sseResponse } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { resumeImport } from "@/lib/library/import";

export const dynamic = "force-dynamic";

/** Resumes an interrupted import run, streaming the same events as `POST /api/imports`. */
export const POST = route({ params: IdParams }, async (_input, { params }) =>
  sseResponse(async (send) => {
    const id = params.id;
    send("started", { runId: id });
    const report = await resumeImport(id, { onProgress: (progress) => send("progress", progress) });
    send("report", report);
  }),
);
