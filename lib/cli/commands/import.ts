import fs from "node:fs";
import { parseArgs } from "node:util";
import { InvalidInputError } from "../../errors.ts";
import { importFolder, resumeImport, type ImportIssue, type ImportOptions, type ImportReport } from "../../library/import.ts";
import { formatTable, UsageError, type CliIo } from "../output.ts";
import { plural } from "../../plural.ts";

export const importUsage =
  "awm-studio import <folder> | --resume RUN_ID [--json] [--skip-verifier-health] [--revalidate]   import every environment of an AWM-format folder (or finish an interrupted import); --revalidate checks unchanged environments again too";

export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean" }, "skip-verifier-health": { type: "boolean" }, resume: { type: "string" }, revalidate: { type: "boolean" } },
  });
  const folder = positionals[0];
  if (values.resume ? positionals.length > 0 : !folder || positionals.length > 1) throw new UsageError(importUsage);
  const options: ImportOptions = {
    verifierHealth: !values["skip-verifier-health"],
    revalidate: values.revalidate === true,
    // On stderr under --json too: stdout holds the one JSON document, and a long import shows it is alive.
    onProgress: ({ done, total, name }) => io.err(`[${done}/${total}] ${name}`),
  };
  // Said before an import run is recorded: a path that is no folder imports nothing, and is no import.
  if (folder !== undefined && !fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InvalidInputError(`${folder} is ${fs.existsSync(folder) ? "not a folder" : "no such folder"}: import reads a folder of AWM files (gen_*.jsonl)`);
  }
  const report = values.resume ? await resumeImport(values.resume, options) : await importFolder(folder!, options);
  io.out(values.json ? JSON.stringify(jsonReport(report), null, 2) : textReport(report));
  return report.environments.length === 0 && report.errors.length > 0 ? 1 : 0;
}

/** The documented `--json` shape: issues without the UI location, and the problems they form (indexes into `issues`). */
function jsonReport(report: ImportReport) {
  return {
    runId: report.runId,
    environments: report.environments.map(({ scenario, name, status, counts, issues, problems, kept }) => ({
      scenario,
      name,
      status,
      counts,
      issues: issues.map(({ stage, severity, where, message }) => ({ stage, severity, where, message })),
      problems,
      kept: kept ?? [],
    })),
    errors: report.errors,
  };
}

/** The closing line of a long report: what the whole import came to. */
function totalsLine(report: ImportReport): string {
  const count = (status: string) => report.environments.filter((env) => env.status === status).length;
  const withErrors = report.environments.filter((env) => env.issues.some((issue) => issue.severity === "error")).length;
  const kept = report.environments.filter((env) => (env.kept ?? []).length > 0).length;
  return `Total: ${report.environments.length} environment(s): ${count("created")} created, ${count("updated")} updated, ${count("unchanged")} unchanged; ${withErrors} with errors${kept > 0 ? `, ${kept} keeping earlier versions` : ""}; ${report.errors.length} error(s) reading the folder or importing`;
}

function textReport(report: ImportReport): string {
  const lines = [`Imported ${report.environments.length} environment(s) from ${report.folder} (import run ${report.runId})`, ""];
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
    lines.push("", `${env.name}: ${plural(env.problems.length, "problem")}`);
    for (const { cause, consequences } of env.problems) {
      lines.push(`  ${issueLine(env.issues[cause])}`);
      if (consequences.length > 0) lines.push(`      ${plural(consequences.length, "consequence")}:`);
      for (const index of consequences) lines.push(`      ${issueLine(env.issues[index])}`);
    }
  }
  const kept = report.environments.filter((env) => (env.kept ?? []).length > 0);
  if (kept.length > 0) {
    lines.push("", "Kept at their earlier version (the folder gave no readable record):");
    for (const env of kept) for (const artifact of env.kept!) lines.push(`  ${env.name}: ${artifact.reason}`);
  }
  if (report.errors.length > 0) {
    lines.push("", "Errors:");
    for (const error of report.errors) lines.push(`  ${error.file}${error.line ? `:${error.line}` : ""}: ${error.message}`);
  }
  lines.push("", totalsLine(report));
  return lines.join("\n");
}

function issueLine(issue: ImportIssue | undefined): string {
  return issue ? `${issue.severity.padEnd(7)} ${issue.stage.padEnd(8)} ${issue.where}: ${issue.message}` : "";
}
