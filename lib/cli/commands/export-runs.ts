import { parseArgs } from "node:util";
import { EXPORT_FORMATS, exportRuns, type ExportFormat } from "../../export/export-runs.ts";
import { UsageError, type CliIo } from "../output.ts";

export const exportRunsUsage = `awm-studio export-runs <folder> [--env NAME ...] [--curated-only] [--format ${EXPORT_FORMATS.join("|")}] [--json]   write runs for a trainer`;

export async function exportRunsCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { env: { type: "string", multiple: true }, "curated-only": { type: "boolean" }, format: { type: "string", default: "awm" }, json: { type: "boolean" } },
  });
  const folder = positionals[0];
  if (!folder || positionals.length > 1 || !isFormat(values.format)) throw new UsageError(exportRunsUsage);
  const result = await exportRuns(folder, values.format, { environments: values.env ?? [], curatedOnly: values["curated-only"] ?? false });
  io.out(
    values.json
      ? JSON.stringify(result, null, 2)
      : [
          `Exported ${result.runs} run(s) as ${result.format} to ${folder}:`,
          ...result.files.map((file) => `  ${file.path}  ${file.records} record(s)`),
          ...(result.toolsFromSpec.length > 0
            ? [`The tools of ${result.toolsFromSpec.length} environment(s) come from their spec, not from what their code serves (no instance of that code has run here; start one to record it): ${result.toolsFromSpec.join(", ")}`]
            : []),
        ].join("\n"),
  );
  return 0;
}

function isFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}
