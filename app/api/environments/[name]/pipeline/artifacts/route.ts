import { z } from "zod";
import { route } from "@/lib/http/handler";
import { NameParams } from "@/lib/http/params";
import { editArtifact, revertArtifact } from "@/lib/pipeline/edit";
import { PIPELINE_STAGES } from "@/lib/awm/types";

export const dynamic = "force-dynamic";

const Kind = z.enum(PIPELINE_STAGES);
const ChangeRequest = z.discriminatedUnion("action", [
  z.object({ action: z.literal("edit"), kind: Kind, key: z.string().default(""), record: z.unknown().refine((value) => value !== undefined, "record is required") }),
  z.object({ action: z.literal("revert"), kind: Kind, key: z.string().default(""), version: z.number().int().min(1) }),
]);

/** An edit or a revert: a new version, then that stage's check on it (returned) and a library revalidation. */
export const POST = route({ params: NameParams, input: ChangeRequest }, async (change, { params }) => {
  const environment = params.name;
  return change.action === "edit"
    ? editArtifact(environment, change.kind, change.key, change.record)
    : revertArtifact(environment, change.kind, change.key, change.version);
});
