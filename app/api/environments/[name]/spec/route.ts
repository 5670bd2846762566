import { route } from "@/lib/http/handler";
import { loadEnvironment } from "@/lib/store/load-environment";

export const dynamic = "force-dynamic";

/** The current API spec record (null when the environment has none). */
export const GET = route({}, async (_input, { params }) => {
  const { spec } = (await loadEnvironment(params.name ?? "", { artifacts: ["spec"] })).artifacts;
  return { spec: spec?.record ?? null, version: spec?.version ?? null };
});
