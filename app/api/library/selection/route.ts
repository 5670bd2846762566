import { z } from "zod";
import { route } from "@/lib/http/handler";
import { setExclusion } from "@/lib/library/exclusion";
import { libraryExportLink, prepareLibraryExport } from "@/lib/library/export-download";
import { regenerateSelection } from "@/lib/pipeline/regenerate-selection";
import { resumeOrphanedJobs } from "@/lib/agent/resume-jobs";
import { PIPELINE_STAGES } from "@/lib/awm/types";

export const dynamic = "force-dynamic";

// Under /api/library, not /api/environments: there it would shadow an environment named "selection".
const Environments = z
  .array(z.string().min(1))
  .min(1, "select at least one environment")
  .transform((names) => [...new Set(names)]);

const SelectionRequest = z.discriminatedUnion("action", [
  z.object({ action: z.literal("exclude"), environments: Environments, note: z.string().max(2000).default("") }),
  z.object({ action: z.literal("include"), environments: Environments }),
  z.object({ action: z.literal("regenerate"), environments: Environments, stage: z.enum(PIPELINE_STAGES), cascade: z.boolean().default(false) }),
  z.object({ action: z.literal("export"), environments: Environments }),
]);

/** One action on a library selection; an unknown environment fails the whole request (404 naming it). */
export const POST = route({ input: SelectionRequest }, async (request) => {
  switch (request.action) {
    case "exclude":
      return setExclusion(request.environments, { excluded: true, note: request.note });
    case "include":
      return setExclusion(request.environments, { excluded: false });
    case "regenerate":
      resumeOrphanedJobs();
      return regenerateSelection(request.environments, request.stage, { cascade: request.cascade });
    case "export":
      return libraryExportLink(await prepareLibraryExport(request.environments));
  }
});
