import { createFilesOwnerOnly } from "../config/private-files.ts";
import { closeStudioDb } from "../store/db.ts";
import { curateCommand, curateUsage } from "./commands/curate.ts";
import { doctorCommand, doctorUsage } from "./commands/doctor.ts";
import { episodeCommand, episodeUsage } from "./commands/episode.ts";
import { excludeCommand, excludeUsage, includeCommand, includeUsage } from "./commands/exclusion.ts";
import { exportCommand, exportUsage } from "./commands/export.ts";
import { exportRunsCommand, exportRunsUsage } from "./commands/export-runs.ts";
import { genCommand, genUsage } from "./commands/gen.ts";
import { importCommand, importUsage } from "./commands/import.ts";
import { importRunCommand, importRunUsage } from "./commands/import-run.ts";
import { importsCommand, importsUsage } from "./commands/imports.ts";
import { listCommand, listUsage } from "./commands/list.ts";
import { markTaskCommand, markTaskUsage } from "./commands/mark-task.ts";
import { mcpCommand, mcpUsage } from "./commands/mcp.ts";
import { verifyCommand, verifyUsage } from "./commands/verify.ts";
import { regenCommand, regenUsage } from "./commands/regen.ts";
import { rolloutCommand, rolloutUsage } from "./commands/rollout.ts";
import { tokenCommand, tokenUsage } from "./commands/token.ts";
import { processIo, UsageError, type CliIo } from "./output.ts";
import { messageOf } from "../errors.ts";

type Command = (args: string[], io: CliIo) => Promise<number>;

const commands: Record<string, { run: Command; usage: string }> = {
  import: { run: importCommand, usage: importUsage },
  imports: { run: importsCommand, usage: importsUsage },
  export: { run: exportCommand, usage: exportUsage },
  "export-runs": { run: exportRunsCommand, usage: exportRunsUsage },
  list: { run: listCommand, usage: listUsage },
  exclude: { run: excludeCommand, usage: excludeUsage },
  include: { run: includeCommand, usage: includeUsage },
  mcp: { run: mcpCommand, usage: mcpUsage },
  "import-run": { run: importRunCommand, usage: importRunUsage },
  verify: { run: verifyCommand, usage: verifyUsage },
  gen: { run: genCommand, usage: genUsage },
  regen: { run: regenCommand, usage: regenUsage },
  rollout: { run: rolloutCommand, usage: rolloutUsage },
  curate: { run: curateCommand, usage: curateUsage },
  "mark-task": { run: markTaskCommand, usage: markTaskUsage },
  episode: { run: episodeCommand, usage: episodeUsage },
  doctor: { run: doctorCommand, usage: doctorUsage },
  token: { run: tokenCommand, usage: tokenUsage },
};

/** A synopsis longer than this has its summary on the next line, so one long command does not push every summary off screen. */
const SYNOPSIS_COLUMN_MAX = 56;

/** Each command's usage is "synopsis   summary"; the summaries line up in one column. */
function usage(): string {
  const rows = Object.values(commands).map((command) => command.usage.split(/\s{2,}/));
  const width = Math.max(...rows.map(([synopsis = ""]) => synopsis.length).filter((length) => length <= SYNOPSIS_COLUMN_MAX));
  const line = ([synopsis = "", summary = ""]: string[]) =>
    synopsis.length <= width ? `  ${synopsis.padEnd(width)}  ${summary}`.trimEnd() : `  ${synopsis}\n  ${" ".repeat(width)}  ${summary}`.trimEnd();
  return ["Usage:", ...rows.map(line)].join("\n");
}

/** Runs one CLI command and returns its exit code; errors print their cause, never a stack dump. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  createFilesOwnerOnly();
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    io.err(name && name !== "help" && name !== "--help" ? `unknown command: ${name}\n${usage()}` : usage());
    return name && name !== "help" && name !== "--help" ? 2 : 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`usage: ${error.message}`);
      return 2;
    }
    io.err(`awm-studio ${name}: ${messageOf(error)}`);
    return 1;
  } finally {
    await closeStudioDb();
  }
}
