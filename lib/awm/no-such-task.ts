/** One wording, everywhere, for a task index an environment does not have. */

/** `its tasks are 0..N-1`, or `it has no tasks`. */
export function taskRange(taskCount: number): string {
  return taskCount === 0 ? "it has no tasks" : taskCount === 1 ? "its only task is 0" : `its tasks are 0..${taskCount - 1}`;
}

/** `environment "shop" has no task 7 (its tasks are 0..2)` */
export function noSuchTask(environmentName: string, taskIdx: number | string, taskCount: number): string {
  return `environment "${environmentName}" has no task ${taskIdx} (${taskRange(taskCount)})`;
}
