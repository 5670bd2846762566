/** Everything the playtest page shows, in one read: the trajectory so far, the instance, its tools. */
import { NotFoundError } from "../errors.ts";
import { instanceTools, type InstanceInfo } from "../instances/manager.ts";
import type { CatalogTool } from "../instances/shadowed-tools.ts";
import { undefinedIfNotFound } from "../errors.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import type { TrajectoryDetail } from "../trajectories/store.ts";
import { examplesFromSpec, type ToolExamples } from "./examples.ts";
import { playtestInstance, playtestTrajectory } from "./session.ts";

export interface PlaytestView {
  trajectory: TrajectoryDetail;
  /** Null when the manager no longer knows the instance (the studio restarted); `instanceError` says so. */
  instance: InstanceInfo | null;
  instanceError?: string;
  tools: CatalogTool[];
  examples: ToolExamples;
  finished: boolean;
}

export async function getPlaytestView(trajectoryId: string, instanceId: string): Promise<PlaytestView> {
  const trajectory = await playtestTrajectory(trajectoryId, { allowFinished: true });
  let instance: InstanceInfo | null = null;
  let instanceError: string | undefined;
  try {
    instance = playtestInstance(trajectory, instanceId);
  } catch (error) {
    // What was played stays visible when the instance is gone.
    if (!(error instanceof NotFoundError)) throw error;
    instanceError = error.message;
  }
  const environment = await loadEnvironment(trajectory.environmentName, { artifacts: ["spec"] }).catch(undefinedIfNotFound);
  return {
    trajectory,
    instance,
    ...(instanceError !== undefined && { instanceError }),
    tools: instance ? instanceTools(instance.id) : [],
    examples: environment ? examplesFromSpec(environment.artifacts.spec?.record) : {},
    finished: Boolean(trajectory.finalDbFile),
  };
}
