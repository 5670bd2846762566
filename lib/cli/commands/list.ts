import { parseArgs } from "node:util";
import { listEnvironments } from "../../store/environments.ts";
import { formatTable, type CliIo } from "../output.ts";

export const listUsage = "awm-studio list [--json]               list the library";

export async function listCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" } } });
  const environments = await listEnvironments();
  if (values.json) {
    io.out(JSON.stringify({ environments }, null, 2));
    return 0;
  }
  io.out(
    formatTable(
      ["name", "scenario", "health", "tasks", "tables", "seed rows", "tools", "verifiers"],
      environments.map((env) => [
        env.name,
        env.scenario,
        env.health === "ok" ? "ok" : `${env.health} (${env.health === "errors" ? env.errorCount : env.warningCount})`,
        env.taskCount,
        env.tableCount,
        env.seedRows,
        env.toolCount,
        env.verifierCount,
      ]),
    ),
  );
  io.out(`${environments.length} environment(s)`);
  return 0;
}
