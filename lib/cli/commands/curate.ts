import { parseArgs } from "node:util";
import { taskStatuses, type EnvironmentTaskStatuses } from "../../curation/task-status.ts";
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
  return environments
    .map((environment) => {
      const tasks = environment.tasks.map((task) => {
        const evidence = task.evidence.map((item) => `      - ${item.stale ? "[stale] " : ""}${item.summary}`);
        return [`  task ${task.taskIdx}: ${task.status} (${task.reason})`, ...evidence].join("\n");
      });
      return [`${environment.name}`, ...(tasks.length > 0 ? tasks : ["  no tasks"])].join("\n");
    })
    .join("\n");
}
