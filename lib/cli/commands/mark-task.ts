import { parseArgs } from "node:util";
import { markTask, type TaskMarkInput } from "../../curation/marks.ts";
import { taskStatuses } from "../../curation/task-status.ts";
import { UsageError, type CliIo } from "../output.ts";

export const markTaskUsage = "awm-studio mark-task <env> <task> (--reference RUN_ID | --unsolvable NOTE | --clear) [--json]   a person's mark on a task's status";

export async function markTaskCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { reference: { type: "string" }, unsolvable: { type: "string" }, clear: { type: "boolean" }, json: { type: "boolean" } },
  });
  const [environment, task, ...rest] = positionals;
  const kinds = [values.reference !== undefined, values.unsolvable !== undefined, values.clear === true].filter(Boolean).length;
  if (!environment || !task || rest.length > 0 || !/^\d+$/.test(task) || kinds !== 1) throw new UsageError(markTaskUsage);
  const input: TaskMarkInput =
    values.reference !== undefined ? { kind: "reference", trajectoryId: values.reference } : values.unsolvable !== undefined ? { kind: "unsolvable", note: values.unsolvable } : { kind: "cleared" };
  const mark = await markTask(environment, Number(task), input);
  // What the mark made of the task: a mark is evidence, and other evidence can decide (a group that all passed: too-easy).
  const [statuses] = await taskStatuses([environment]);
  const now = statuses?.tasks.find((entry) => entry.taskIdx === Number(task));
  io.out(
    values.json
      ? JSON.stringify({ ...mark, ...(now && { status: now.status, reason: now.reason }) }, null, 2)
      : [`Marked ${environment} task ${task}: ${mark.kind}${mark.trajectoryId ? ` (run ${mark.trajectoryId})` : ""}${mark.note ? ` — ${mark.note}` : ""}`, ...(now ? [`task ${task} is now ${now.status}: ${now.reason}`] : [])].join("\n"),
  );
  return 0;
}
