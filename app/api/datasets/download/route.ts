import { route } from "@/lib/http/handler";
import { exportDownload } from "@/lib/export/download";
import { downloadQuery } from "@/lib/export/selection-query";

export const dynamic = "force-dynamic";

export const GET = route({ input: downloadQuery }, async ({ format, envs, curated }) => {
  const download = await exportDownload(format, { environments: envs, curatedOnly: curated });
  return new Response(download.body, {
    headers: { "content-type": download.contentType, "content-disposition": `attachment; filename="${download.filename}"` },
  });
});
