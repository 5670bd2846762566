/** Starting a rollout job from the web: the tasks checked against the environment, then the job in the background. */
import { InvalidInputError } from "../errors.ts";
import { LlmNotConfiguredError } from "../llm/settings.ts";
import { startRolloutJob } from "./rollout-job.ts";
import { loadTrajectoryEnvironment } from "../trajectories/environment.ts";
import type { RolloutParams } from "./rollout-job.ts";
import type { JobStarted } from "../pipeline/job-runner.ts";

export async function launchRollout(params: RolloutParams): Promise<JobStarted> {
  const count = (await loadTrajectoryEnvironment(params.environment)).tasks.length;
  const wrong = params.tasks.filter((taskIdx) => taskIdx >= count);
  if (params.tasks.length === 0) throw new InvalidInputError("pick at least one task");
  if (wrong.length > 0) throw new InvalidInputError(`${params.environment} has tasks 0..${count - 1}, not ${wrong.join(", ")}`);
  const handle = await startRolloutJob({ ...params, tasks: [...new Set(params.tasks)].sort((a, b) => a - b) }).catch((error: Error) => {
    // What the run needs and lacks (a model, a judge) is the request's to fix: a 400 naming it.
    throw error instanceof LlmNotConfiguredError ? new InvalidInputError(error.message) : error;
  });
  return { jobId: handle.jobId };
}
