/**
 * A person's word on a task: this run is the task's reference, or the task is unsolvable (with a
 * note), or "cleared" to withdraw both. Appended, never overwritten: the latest mark counts, and
 * task-status.ts lists it with the evidence.
 */
import { NotFoundError } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { noSuchTask } from "../awm/no-such-task.ts";

export type TaskMarkInput = { kind: "reference"; trajectoryId: string; note?: string } | { kind: "unsolvable"; note: string } | { kind: "cleared"; note?: string };

export interface TaskMarkView {
  id: string;
  environmentName: string;
  taskIdx: number;
  kind: TaskMarkInput["kind"];
  trajectoryId: string | null;
  note: string;
  createdAt: string;
}

export async function markTask(environmentName: string, taskIdx: number, input: TaskMarkInput, db: StudioTx = studioDb()): Promise<TaskMarkView> {
  const environment = await loadEnvironment(environmentName, {}, db);
  if (!Number.isInteger(taskIdx) || taskIdx < 0 || taskIdx >= environment.taskCount) {
    throw new NotFoundError(noSuchTask(environmentName, taskIdx, environment.taskCount));
  }
  if (input.kind === "unsolvable" && !input.note.trim()) throw new Error("an unsolvable mark needs a note saying why");
  if (input.kind === "reference") {
    const run = await db.trajectory.findUnique({ where: { id: input.trajectoryId }, select: { environmentName: true, taskIdx: true } });
    if (!run || run.environmentName !== environmentName || run.taskIdx !== taskIdx) {
      throw new NotFoundError(`no run ${input.trajectoryId} of task ${taskIdx} in environment "${environmentName}"`);
    }
  }
  const row = await db.taskMark.create({
    data: { environmentName, taskIdx, kind: input.kind, trajectoryId: input.kind === "reference" ? input.trajectoryId : null, note: input.note?.trim() ?? "" },
  });
  return { ...row, kind: input.kind, createdAt: row.createdAt.toISOString() };
}
