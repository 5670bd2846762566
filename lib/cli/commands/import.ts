import { parseArgs } from "node:util";
import { importFolder, type ImportReport } from "../../library/import.ts";
import { formatTable, UsageError, type CliIo } from "../output.ts";

export const importUsage =
  "awm-studio import <folder> [--json] [--skip-verifier-health]   import every environment of an AWM-format folder";

export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" }, "skip-verifier-health": { type: "boolean" } },
  });
  const folder = positionals[0];
  if (!folder || positionals.length > 1) throw new UsageError(importUsage);
  const report = await importFolder(folder, {
    verifierHealth: !values["skip-verifier-health"],
    onProgress: values.json ? undefined : ({ done, total, name }) => io.err(`[${done}/${total}] ${name}`),
  });
  io.out(values.json ? JSON.stringify(jsonReport(report), null, 2) : textReport(report));
  return report.environments.length === 0 && report.errors.length > 0 ? 1 : 0;
}

/** The documented `--json` shape: issues without the UI location. */
function jsonReport(report: ImportReport) {
  return {
    environments: report.environments.map(({ scenario, name, counts, issues }) => ({
      scenario,
      name,
      counts,
      issues: issues.map(({ stage, severity, where, message }) => ({ stage, severity, where, message })),
    })),
    errors: report.errors,
  };
}

function textReport(report: ImportReport): string {
  const lines = [`Imported ${report.environments.length} environment(s) from ${report.folder}`, ""];
  lines.push(
    formatTable(
      ["name", "status", "tasks", "tables", "seed rows", "seed fails", "tools", "verifiers", "errors", "warnings"],
      report.environments.map((env) => [
        env.name,
        env.status,
        env.counts.tasks,
        env.counts.tables,
        env.counts.seedRows,
        env.counts.seedFailures,
        env.counts.tools,
        env.counts.verifiers,
        env.issues.filter((issue) => issue.severity === "error").length,
        env.issues.filter((issue) => issue.severity === "warning").length,
      ]),
    ),
  );
  for (const env of report.environments.filter((candidate) => candidate.issues.length > 0)) {
    lines.push("", `${env.name}:`);
    for (const issue of env.issues) lines.push(`  ${issue.severity.padEnd(7)} ${issue.stage.padEnd(8)} ${issue.where}: ${issue.message}`);
  }
  if (report.errors.length > 0) {
    lines.push("", "Errors:");
    for (const error of report.errors) lines.push(`  ${error.file}${error.line ? `:${error.line}` : ""}: ${error.message}`);
  }
  return lines.join("\n");
}
