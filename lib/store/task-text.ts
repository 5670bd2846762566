import { noSuchTask } from "../awm/no-such-task.ts";
import { NotFoundError } from "../errors.ts";
import { loadEnvironment } from "./load-environment.ts";

/** The text of an environment's task; a 404 naming the tasks it has when there is no such task. */
export async function taskText(environmentName: string, taskIdx: number): Promise<string> {
  const environment = await loadEnvironment(environmentName, { artifacts: ["tasks"] });
  const tasks = environment.artifacts.tasks?.record.tasks ?? [];
  const task = tasks[taskIdx];
  if (!Number.isInteger(taskIdx) || task === undefined) {
    throw new NotFoundError(noSuchTask(environmentName, taskIdx, tasks.length));
  }
  return task;
}
