import { parseArgs } from "node:util";
import { importAndReplayRun, replayReport, type ImportedAndReplayed } from "../../trajectories/import-and-replay.ts";
import { taskLabel } from "../../trajectories/task-text.ts";
import { UsageError, type CliIo } from "../output.ts";
import { FORMAT_ERROR_REWARD } from "../../awm/verdict.ts";
import { rewardText } from "../../number-text.ts";

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

/** The documented `--json` shape: the run's net change and, when it recorded a final.db, the divergence from it. */
function jsonResult({ imported, replay }: ImportedAndReplayed) {
  return {
    trajectoryId: imported.trajectoryId,
    environment: imported.environmentName,
    taskIdx: imported.taskIdx,
    steps: imported.steps,
    malformedSteps: imported.malformedSteps,
    verdicts: imported.verdicts,
    warnings: imported.warnings,
    replay: replayReport(replay),
  };
}

function textResult({ imported, replay }: ImportedAndReplayed): string {
  const lines = [
    `Imported trajectory ${imported.trajectoryId}: ${imported.environmentName} ${taskLabel(imported.taskIdx)}, ${imported.steps} step(s)` +
      (imported.malformedSteps ? `, ${imported.malformedSteps} malformed tool call(s) (format error, reward ${rewardText(FORMAT_ERROR_REWARD, "-")})` : ""),
  ];
  if (imported.verdicts.length) lines.push(`Verdicts from the run folder: ${imported.verdicts.join(", ")}`);
  for (const warning of imported.warnings) lines.push(`warning: ${warning}`);
  lines.push(`Replay: ${replay.status} (${replay.replayedCalls} tool call(s) re-executed)`);
  if (replay.error) lines.push(`  ${replay.error}`);
  for (const refused of replay.refused) lines.push(`  refused by the environment: ${refused}`);
  if (replay.netChange) {
    const tables = Object.entries(replay.netChange.tables);
    lines.push(`Net change (initial → final, replayed):${tables.length === 0 ? " none" : ""}`);
    for (const [table, diff] of tables) lines.push(`  ${table}: ${diff.inserted.length} inserted, ${diff.updated.length} updated, ${diff.deleted.length} deleted`);
  }
  if (!replay.divergence) {
    if (replay.netChange) lines.push("Divergence: not checked (the run folder has no final.db)");
    return lines.join("\n");
  }
  const diverged = Object.entries(replay.divergence.tables);
  const unreadable = Object.entries(replay.divergence.unreadable ?? {});
  lines.push(`Divergence from the recorded final.db:${diverged.length + unreadable.length === 0 ? " none" : ""}`);
  for (const [table, message] of unreadable) lines.push(`  ${table}: could not be compared: ${message}`);
  for (const [table, diff] of diverged) {
    lines.push(`  ${table}: ${diff.updated.length} row(s) differ, ${diff.inserted.length} only in the recorded final.db, ${diff.deleted.length} only in the replay`);
    for (const row of diff.updated) lines.push(`    ${JSON.stringify(row.key)} ${row.changed.map((column) => `${column}: replayed ${JSON.stringify(row.before[column])}, recorded ${JSON.stringify(row.after[column])}`).join("; ")}`);
  }
  return lines.join("\n");
}
