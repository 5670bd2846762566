import { z } from "zod";
import { route } from "@/lib/http/handler";
import { pipelineStageSegment, segment, wholeNumberSegment } from "@/lib/http/params";
import { artifactVersionRecord } from "@/lib/store/environment-views";

export const dynamic = "force-dynamic";

const Params = z.object({ name: segment, kind: pipelineStageSegment("artifact kind"), version: wholeNumberSegment("version", 1) });
const Query = z.object({ key: z.string().default("") });

/** One stored version of an artifact, parsed (for the editor's diff and before a revert). */
export const GET = route({ params: Params, input: Query }, async ({ key }, { params }) => artifactVersionRecord(params.name, params.kind, key, params.version));
