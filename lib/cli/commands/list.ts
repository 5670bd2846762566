import { parseArgs } from "node:util";
import { taskStatusCounts } from "../../curation/task-status.ts";
import { listEnvironments } from "../../store/environments.ts";
import { hasIssueKind, ISSUE_KINDS, isIssueKind } from "../../store/issue-kinds.ts";
import { formatTable, UsageError, type CliIo } from "../output.ts";

export const listUsage = `awm-studio list [--issue-kind ${ISSUE_KINDS.join("|")}] [--json]   list the library (excluded environments marked)`;

export async function listCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" }, "issue-kind": { type: "string" } } });
  const kind = values["issue-kind"];
  if (kind !== undefined && !isIssueKind(kind)) throw new UsageError(`--issue-kind must be one of ${ISSUE_KINDS.join(", ")}, got "${kind}"`);
  const all = await listEnvironments();
  // Unsolvable tasks weigh every run: task statuses are read only for that kind.
  const counts = kind === "unsolvable-tasks" ? await taskStatusCounts() : {};
  const environments = kind ? all.filter((env) => hasIssueKind(env, kind, counts[env.name]?.unsolvable ?? 0)) : all;
  if (values.json) {
    io.out(JSON.stringify({ environments }, null, 2));
    return 0;
  }
  io.out(
    formatTable(
      ["name", "scenario", "health", "tasks", "tables", "seed rows", "tools", "verifiers", "issue kinds", "excluded"],
      environments.map((env) => [
        env.name,
        env.scenario,
        env.health === "ok" ? "ok" : `${env.health} (${env.health === "errors" ? env.errorCount : env.warningCount})`,
        env.taskCount,
        env.tableCount,
        env.seedRows,
        env.toolCount,
        env.verifierCount,
        env.issueKinds.join(", "),
        env.excluded ? `excluded${env.excludedNote ? `: ${env.excludedNote}` : ""}` : "",
      ]),
    ),
  );
  io.out(`${environments.length} environment(s)${kind ? ` with ${kind}` : ""}`);
  return 0;
}
