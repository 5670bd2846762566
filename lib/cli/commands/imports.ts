import { parseArgs } from "node:util";
import { listImportRuns } from "../../library/import-runs.ts";
import { formatTable, type CliIo } from "../output.ts";

export const importsUsage = "awm-studio imports [--json]            list recent import runs (interrupted ones resume with import --resume RUN_ID)";

export async function importsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" } } });
  const runs = await listImportRuns();
  if (values.json) {
    io.out(JSON.stringify({ runs }, null, 2));
    return 0;
  }
  io.out(
    formatTable(
      ["run", "status", "environments", "started", "folder"],
      runs.map((run) => [run.id, run.status, `${run.done}/${run.total ?? "?"}`, run.startedAt, run.folder]),
    ),
  );
  const interrupted = runs.filter((run) => run.status === "interrupted");
  for (const run of interrupted) io.out(`resume with: awm-studio import --resume ${run.id}`);
  return 0;
}
