import { noSuchTask } from "../awm/no-such-task.ts";
import { NotFoundError } from "../errors.ts";
import { loadEnvironment } from "./load-environment.ts";

/** The text of an environment's task; a 404 naming the tasks it has when there is no such task. */
export async function taskText(environmentName: string, taskIdx: number): Promise<string> {
  return (await taskTexts(environmentName, [taskIdx])).get(taskIdx)!;
}

/** The texts of several tasks of an environment, read at once; a 404 for the first it does not have. */
export async function taskTexts(environmentName: string, taskIdxs: readonly number[]): Promise<Map<number, string>> {
  const environment = await loadEnvironment(environmentName, { artifacts: ["tasks"] });
  const tasks = environment.artifacts.tasks?.record.tasks ?? [];
  const texts = new Map<number, string>();
  for (const taskIdx of taskIdxs) {
    const task = tasks[taskIdx];
    if (!Number.isInteger(taskIdx) || task === undefined) throw new NotFoundError(noSuchTask(environmentName, taskIdx, tasks.length));
    texts.set(taskIdx, task);
  }
  return texts;
}
