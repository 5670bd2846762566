import { z } from "zod";
import { route } from "@/lib/http/handler";
import { pipelineStageSegment, segment } from "@/lib/http/params";
import { artifactVersionList } from "@/lib/store/environment-views";

export const dynamic = "force-dynamic";

const Params = z.object({ name: segment, kind: pipelineStageSegment("artifact kind") });
const Query = z.object({ key: z.string().default("") });

/** Every version of one artifact (`?key=code:3` for a verifier), newest first. */
export const GET = route({ params: Params, input: Query }, async ({ key }, { params }) => artifactVersionList(params.name, params.kind, key));
