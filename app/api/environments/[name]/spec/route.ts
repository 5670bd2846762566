import type { SpecRecord } from "@/lib/awm/types";
import { route } from "@/lib/http/handler";
import { requireEnvironment } from "@/lib/store/environments";
import { currentArtifact } from "@/lib/store/artifacts";

export const dynamic = "force-dynamic";

/** The current API spec record (null when the environment has none). */
export const GET = route({}, async (_input, { params }) => {
  const environment = await requireEnvironment(params.name ?? "");
  const spec = await currentArtifact<SpecRecord>(environment.id, "spec");
  return { spec: spec?.record ?? null, version: spec?.version ?? null };
});
