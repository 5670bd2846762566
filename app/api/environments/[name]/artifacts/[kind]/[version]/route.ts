import { z } from "zod";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/handler";
import { isPipelineStage, PIPELINE_STAGES } from "@/lib/pipeline/stages";
import { artifactVersion } from "@/lib/store/artifacts";
import { loadEnvironment } from "@/lib/store/load-environment";

export const dynamic = "force-dynamic";

export interface ArtifactVersionRecord {
  version: number;
  origin: string;
  createdAt: string;
  record: unknown;
}

const Query = z.object({ key: z.string().default("") });

/** One stored version of an artifact, parsed (for the editor's diff and before a revert). */
export const GET = route({ input: Query }, async ({ key }, { params }): Promise<ArtifactVersionRecord> => {
  const kind = params.kind ?? "";
  if (!isPipelineStage(kind)) throw new InvalidInputError(`unknown artifact kind "${kind}"; one of ${PIPELINE_STAGES.join(", ")}`);
  const version = Number(params.version);
  if (!Number.isInteger(version) || version < 1) throw new InvalidInputError(`version must be a positive integer, got "${params.version}"`);
  const environment = await loadEnvironment(params.name ?? "");
  const stored = await artifactVersion(environment.id, kind, key, version);
  if (!stored) throw new NotFoundError(`"${environment.name}" has no ${kind}${key ? ` ${key}` : ""} version ${version}`);
  return { ...stored, createdAt: stored.createdAt.toISOString() };
});
