import { parseFastApiRoutes } from "@/lib/awm/code-routes";
import { route } from "@/lib/http/handler";
import { loadEnvironment } from "@/lib/store/load-environment";

export const dynamic = "force-dynamic";

/** The interface code (`full_code`) and the routes its FastAPI decorators declare. */
export const GET = route({}, async (_input, { params }) => {
  const { code } = (await loadEnvironment(params.name ?? "", { artifacts: ["code"] })).artifacts;
  const fullCode = code?.record.full_code ?? null;
  return {
    code: fullCode,
    version: code?.version ?? null,
    source: code ? { file: code.sourceFile, line: code.sourceLine } : null,
    routes: fullCode === null ? [] : parseFastApiRoutes(fullCode),
  };
});
