import { parseArgs } from "node:util";
import { taskStatuses, type EnvironmentTaskStatuses, type TaskStatus } from "../../curation/task-status.ts";
import { TASK_STATUSES } from "../../curation/status-rules.ts";
import { UsageError, type CliIo } from "../output.ts";

export const curateUsage = "awm-studio curate [--env NAME ...] [--json]   every task's status and the evidence it rests on";

export async function curateCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { env: { type: "string", multiple: true }, json: { type: "boolean" } } });
  if (positionals.length > 0) throw new UsageError(curateUsage);
  const environments = await taskStatuses(values.env);
  io.out(values.json ? JSON.stringify({ environments }, null, 2) : describe(environments));
  return 0;
}

function describe(environments: EnvironmentTaskStatuses[]): string {
  if (environments.length === 0) return "No environments.";
  const each = environments
    .map((environment) => {
      const tasks = environment.tasks.map((task) => {
        const evidence = task.evidence.map((item) => `      - ${item.stale ? "[stale] " : ""}${item.summary}`);
        return [`  task ${task.taskIdx}: ${task.status} (${task.reason})`, ...evidence].join("\n");
      });
      return [`${environment.name}`, ...(tasks.length > 0 ? tasks : ["  no tasks"])].join("\n");
    })
    .join("\n");
  return `${each}\n\n${totals(environments)}`;
}

/** The closing line: how many tasks have each status, over every environment listed. */
function totals(environments: EnvironmentTaskStatuses[]): string {
  const counts = new Map<TaskStatus, number>();
  for (const task of environments.flatMap((environment) => environment.tasks)) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
  const tasks = [...counts.values()].reduce((sum, count) => sum + count, 0);
  const byStatus = TASK_STATUSES.filter((status) => counts.has(status)).map((status) => `${counts.get(status)} ${status}`);
  return `Total: ${tasks} task(s) in ${environments.length} environment(s)${byStatus.length > 0 ? `: ${byStatus.join(", ")}` : ""}`;
}
