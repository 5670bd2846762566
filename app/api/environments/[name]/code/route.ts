import { parseFastApiRoutes } from "@/lib/awm/code-routes";
import type { CodeRecord } from "@/lib/awm/types";
import { route } from "@/lib/http/handler";
import { requireEnvironment } from "@/lib/store/environments";
import { currentArtifact } from "@/lib/store/artifacts";

export const dynamic = "force-dynamic";

/** The interface code (`full_code`) and the routes its FastAPI decorators declare. */
export const GET = route({}, async (_input, { params }) => {
  const environment = await requireEnvironment(params.name ?? "");
  const code = await currentArtifact<CodeRecord>(environment.id, "code");
  const fullCode = code?.record.full_code ?? null;
  return {
    code: fullCode,
    version: code?.version ?? null,
    source: code ? { file: code.sourceFile, line: code.sourceLine } : null,
    routes: fullCode === null ? [] : parseFastApiRoutes(fullCode),
  };
});
