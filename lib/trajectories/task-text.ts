/**
 * A trajectory's task is one of its environment's tasks (an index) or free text: AWM's agent takes
 * `--task "<text>"` instead of an index and logs `"task_id": null`. Such a task has no verifier.
 */

/** Task text as compared: surrounding whitespace dropped, every run of whitespace one space. */
export function normalizeTaskText(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

/** The index of the environment task whose text is `text` (after whitespace normalization). */
export function findTaskIndex(text: string, tasks: readonly string[]): number | undefined {
  const wanted = normalizeTaskText(text);
  const index = tasks.findIndex((task) => normalizeTaskText(task) === wanted);
  return index >= 0 ? index : undefined;
}

export function taskLabel(taskIdx: number | null): string {
  return taskIdx === null ? "free-text task" : `task ${taskIdx}`;
}

/** Two trajectories did the same task: the same index, or (both free-text) the same text. */
export function sameTaskOf(a: { taskIdx: number | null; task: string }, b: { taskIdx: number | null; task: string }): boolean {
  return a.taskIdx === null || b.taskIdx === null ? a.taskIdx === b.taskIdx && normalizeTaskText(a.task) === normalizeTaskText(b.task) : a.taskIdx === b.taskIdx;
}
