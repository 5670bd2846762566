import { parseArgs } from "node:util";
import { setExclusion, type ExclusionResult } from "../../library/exclusion.ts";
import { UsageError, type CliIo } from "../output.ts";

export const excludeUsage = "awm-studio exclude <env...> [--note TEXT] [--json]   leave environments out of export, export-runs and Datasets unless named";
export const includeUsage = "awm-studio include <env...> [--json]   take excluded environments back in";

export async function excludeCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { note: { type: "string" }, json: { type: "boolean" } } });
  if (positionals.length === 0) throw new UsageError(excludeUsage);
  report(io, await setExclusion(positionals, { excluded: true, ...(values.note !== undefined && { note: values.note }) }), Boolean(values.json));
  return 0;
}

export async function includeCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: "boolean" } } });
  if (positionals.length === 0) throw new UsageError(includeUsage);
  report(io, await setExclusion(positionals, { excluded: false }), Boolean(values.json));
  return 0;
}

function report(io: CliIo, result: ExclusionResult, json: boolean): void {
  if (json) io.out(JSON.stringify(result, null, 2));
  else io.out(`${result.excluded ? "Excluded" : "Included"} ${result.environments.length} environment(s): ${result.environments.join(", ")}${result.note ? ` — ${result.note}` : ""}`);
}
