import { parseArgs } from "node:util";
import { importAndReplayRun, type ImportedAndReplayed } from "../../trajectories/import-and-replay.ts";
import { UsageError, type CliIo } from "../output.ts";

export const importRunUsage =
  "awm-studio import-run <folder> [--scenario NAME] [--json]   import an AWM agent run folder as a trajectory and replay it";

export async function importRunCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { scenario: { type: "string" }, json: { type: "boolean" } },
  });
  const folder = positionals[0];
  if (!folder || positionals.length > 1) throw new UsageError(importRunUsage);
  const result = await importAndReplayRun(folder, { scenario: values.scenario });
  io.out(values.json ? JSON.stringify(jsonResult(result), null, 2) : textResult(result));
  return result.replay.status === "failed" ? 1 : 0;
}

/** The documented `--json` shape; finalDiff is always a DbDiff (empty unless diverged). */
function jsonResult({ imported, replay, finalDiff }: ImportedAndReplayed) {
  return {
    trajectoryId: imported.trajectoryId,
    environment: imported.environmentName,
    taskIdx: imported.taskIdx,
    steps: imported.steps,
    malformedSteps: imported.malformedSteps,
    verdicts: imported.verdicts,
    warnings: imported.warnings,
    replay: { status: replay.status, diverged: replay.status === "diverged", finalDiff, ...(replay.error ? { error: replay.error } : {}) },
  };
}

function textResult({ imported, replay, finalDiff }: ImportedAndReplayed): string {
  const lines = [
    `Imported trajectory ${imported.trajectoryId}: ${imported.environmentName} task ${imported.taskIdx}, ${imported.steps} step(s)` +
      (imported.malformedSteps ? `, ${imported.malformedSteps} malformed tool call(s) (format failure, reward -1.0)` : ""),
  ];
  if (imported.verdicts.length) lines.push(`Verdicts from the run folder: ${imported.verdicts.join(", ")}`);
  for (const warning of imported.warnings) lines.push(`warning: ${warning}`);
  lines.push(`Replay: ${replay.status} (${replay.replayedCalls} tool call(s) re-executed)`);
  if (replay.error) lines.push(`  ${replay.error}`);
  for (const [table, diff] of Object.entries(finalDiff.tables)) {
    lines.push(`  ${table}: ${diff.updated.length} row(s) differ, ${diff.inserted.length} only in the recorded final.db, ${diff.deleted.length} only in the replay`);
    for (const row of diff.updated) lines.push(`    ${JSON.stringify(row.key)} ${row.changed.map((column) => `${column}: replayed ${JSON.stringify(row.before[column])}, recorded ${JSON.stringify(row.after[column])}`).join("; ")}`);
  }
  return lines.join("\n");
}
