import { z } from "zod";
import { launchRollout } from "@/lib/agent/rollout-launch";
import { MAX_CONCURRENCY, MAX_GROUP } from "@/lib/agent/rollout-limits";
import { agentSettingsInput } from "@/lib/agent/settings-input";
import { route } from "@/lib/http/handler";
import { resumeOrphanedJobs } from "@/lib/agent/resume-jobs";

export const dynamic = "force-dynamic";

const input = z.object({
  environment: z.string().min(1),
  tasks: z.array(z.number().int().min(0)).min(1),
  group: z.number().int().min(1).max(MAX_GROUP),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY),
  settings: agentSettingsInput,
});

/** Starts a rollout job in the background: every task `group` times → `{ jobId }`; its results at /api/rollouts/{jobId}. */
export const POST = route({ input }, async (params) => {
  resumeOrphanedJobs();
  return launchRollout(params);
});
