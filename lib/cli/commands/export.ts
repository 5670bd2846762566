import { parseArgs } from "node:util";
import { exportLibrary } from "../../library/export.ts";
import { UsageError, type CliIo } from "../output.ts";

export const exportUsage = "awm-studio export <folder> [--env NAME ...] [--json]   write AWM-format files";

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { env: { type: "string", multiple: true }, json: { type: "boolean" } },
  });
  const folder = positionals[0];
  if (!folder || positionals.length > 1) throw new UsageError(exportUsage);
  const result = await exportLibrary(folder, values.env ?? []);
  io.out(
    values.json
      ? JSON.stringify(result, null, 2)
      : `Exported ${result.environments.length} environment(s) to ${folder}: ${result.files.join(", ")}`,
  );
  return 0;
}
