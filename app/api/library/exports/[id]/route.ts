import { route } from "@/lib/http/handler";
import { IdParams } from "@/lib/http/params";
import { openLibraryExport } from "@/lib/library/export-download";

export const dynamic = "force-dynamic";

/** Streams an export prepared by POST /api/library/selection {action: "export"} as a tar, once. */
export const GET = route({ params: IdParams }, async (_input, { params }) => {
  const download = openLibraryExport(params.id);
  return new Response(download.body, {
    headers: { "content-type": "application/x-tar", "content-disposition": `attachment; filename="${download.filename}"` },
  });
});
