import { z } from "zod";
import { InvalidInputError } from "@/lib/errors";
import { route } from "@/lib/http/handler";
import { isPipelineStage, PIPELINE_STAGES } from "@/lib/pipeline/stages";
import { listVersions } from "@/lib/store/artifacts";
import { loadEnvironment } from "@/lib/store/load-environment";

export const dynamic = "force-dynamic";

export interface ArtifactVersionSummary {
  version: number;
  origin: string;
  createdAt: string;
}

export interface ArtifactVersionList {
  kind: string;
  key: string;
  /** Newest first; the first one is current. */
  versions: ArtifactVersionSummary[];
}

const Query = z.object({ key: z.string().default("") });

/** Every version of one artifact (`?key=code:3` for a verifier), newest first. */
export const GET = route({ input: Query }, async ({ key }, { params }): Promise<ArtifactVersionList> => {
  const kind = params.kind ?? "";
  if (!isPipelineStage(kind)) throw new InvalidInputError(`unknown artifact kind "${kind}"; one of ${PIPELINE_STAGES.join(", ")}`);
  const environment = await loadEnvironment(params.name ?? "");
  const rows = await listVersions(environment.id, kind, key);
  return { kind, key, versions: rows.map((row) => ({ version: row.version, origin: row.origin, createdAt: row.createdAt.toISOString() })) };
});
