import { z } from "zod";
import { route } from "@/lib/http/handler";
import { DEFAULT_CONCURRENCY } from "@/lib/pipeline/context";
import { startGenJob, type JobStarted } from "@/lib/pipeline/job-runner";
import { resumeOrphanedJobs } from "@/lib/agent/resume-jobs";
import { jobList } from "@/lib/pipeline/progress";
import { readSeedScenarios } from "@/lib/pipeline/seeds";
import { DEFAULT_MAX_ATTEMPTS } from "@/lib/pipeline/stage-loop";
import { DEFAULT_TASK_COUNT } from "@/lib/pipeline/stage-tasks";
import { InvalidInputError, messageOf } from "@/lib/errors";

export const dynamic = "force-dynamic";

const GenRequest = z.object({
  seedsFile: z.string().trim().min(1, "give the path of a seed_scenario.jsonl file on the server's disk"),
  count: z.number().int().min(1).max(1000),
  tasks: z.number().int().min(1).max(50).default(DEFAULT_TASK_COUNT),
  concurrency: z.number().int().min(1).max(64).default(DEFAULT_CONCURRENCY),
  maxAttempts: z.number().int().min(1).max(10).default(DEFAULT_MAX_ATTEMPTS),
});

/** The latest jobs with their progress. */
export const GET = route({}, async () => {
  resumeOrphanedJobs();
  return jobList();
});

/** Starts a gen job in the background; follow it at /api/pipeline/jobs/{jobId}/events. */
export const POST = route({ input: GenRequest }, async (input): Promise<JobStarted> => {
  resumeOrphanedJobs();
  let seeds;
  try {
    seeds = readSeedScenarios(input.seedsFile);
  } catch (error) {
    throw new InvalidInputError(messageOf(error));
  }
  const handle = await startGenJob({ ...input, seeds, verifierMode: "code" });
  return { jobId: handle.jobId };
});
