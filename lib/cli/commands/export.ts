import { parseArgs } from "node:util";
import { curatedTasks } from "../../export/run-selection.ts";
import { exportLibrary } from "../../library/export.ts";
import { UsageError, type CliIo } from "../output.ts";

export const exportUsage = "awm-studio export <folder> [--env NAME ...] [--curated-only] [--json]   write AWM-format files";

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { env: { type: "string", multiple: true }, "curated-only": { type: "boolean" }, json: { type: "boolean" } },
  });
  const folder = positionals[0];
  if (!folder || positionals.length > 1) throw new UsageError(exportUsage);
  const result = await exportLibrary(folder, values.env ?? [], { selectTasks: values["curated-only"] ? curatedTasks : undefined });
  io.out(
    values.json
      ? JSON.stringify(result, null, 2)
      : result.environments.length === 0
        ? `Exported nothing to ${folder}: no environment${result.tasks ? " has a curated task (see awm-studio curate)" : " was selected"}`
        : `Exported ${result.environments.length} environment(s)${result.tasks ? " (curated tasks only, renumbered)" : ""} to ${folder}: ${result.files.join(", ")}`,
  );
  return 0;
}
