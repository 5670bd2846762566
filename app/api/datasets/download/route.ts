import { route } from "@/lib/http/handler";
import { exportDownload } from "@/lib/export/download";
import { downloadQuery, runSelectionOf } from "@/lib/export/selection-query";

export const dynamic = "force-dynamic";

export const GET = route({ input: downloadQuery }, async (query) => {
  const download = await exportDownload(query.format, await runSelectionOf(query));
  return new Response(download.body, {
    headers: { "content-type": download.contentType, "content-disposition": `attachment; filename="${download.filename}"` },
  });
});
