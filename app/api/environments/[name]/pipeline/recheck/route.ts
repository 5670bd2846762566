import { z } from "zod";
import { route } from "@/lib/http/handler";
import { NameParams } from "@/lib/http/params";
import { recheckArtifact } from "@/lib/pipeline/edit";
import { PIPELINE_STAGES } from "@/lib/awm/types";

export const dynamic = "force-dynamic";

const RecheckRequest = z.object({ kind: z.enum(PIPELINE_STAGES), key: z.string().default(""), record: z.unknown().optional() });

/** Runs a stage's check on the artifact's current version, or on `record` (an edit not saved), without changing anything. */
export const POST = route({ params: NameParams, input: RecheckRequest }, async ({ kind, key, record }, { params }) => recheckArtifact(params.name, kind, key, record));
