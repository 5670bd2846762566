/**
 * A person's word on a task: this run is the task's reference, or the task is unsolvable (with a
 * note), or "cleared" to withdraw both. Appended, never overwritten: the latest mark counts, and
 * task-status.ts lists it with the evidence.
 */
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { SUCCESS_REWARD } from "../agent/stats.ts";
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
    const run = await db.trajectory.findUnique({ where: { id: input.trajectoryId }, select: { environmentName: true, taskIdx: true, reward: true, verdictClass: true } });
    if (!run || run.environmentName !== environmentName || run.taskIdx !== taskIdx) {
      throw new NotFoundError(`no run ${input.trajectoryId} of task ${taskIdx} in environment "${environmentName}"`);
    }
    // A reference shows the task can be done and its verifier rewards it; a run the verifier failed shows neither.
    if (run.reward !== null && run.reward < SUCCESS_REWARD) {
      throw new InvalidInputError(
        `run ${input.trajectoryId} failed its verifier (${run.verdictClass ?? "no verdict"}, reward ${run.reward}), so it cannot be the reference; if it did the task and the verifier is wrong, tag the run "verifier wrong" in its review, which keeps the task out of training`,
      );
    }
  }
  const row = await db.taskMark.create({
    data: { environmentName, taskIdx, kind: input.kind, trajectoryId: input.kind === "reference" ? input.trajectoryId : null, note: input.note?.trim() ?? "" },
  });
  return { ...row, kind: input.kind, createdAt: row.createdAt.toISOString() };
}
