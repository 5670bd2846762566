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

const HELP = new Set(["help", "--help", "-h"]);

/**
 * `--help` among a command's options (not after `--`, where it is a positional), or `-h` first: a
 * later `-h` may be an option's value (`episode finish X --answer -h`).
 */
function asksHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return args[0] === "-h" || (end === -1 ? args : args.slice(0, end)).includes("--help");
}

/** node:util parseArgs's refusals (unknown option, missing value…): the user's words were wrong, not the run. */
function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && "code" in error && typeof error.code === "string" && error.code.startsWith("ERR_PARSE_ARGS_");
}

/**
 * Runs one CLI command and returns its exit code: 0 done, 1 it failed (the cause is printed,
 * never a stack dump), 2 the command line was wrong (the command's usage is printed).
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  createFilesOwnerOnly();
  const [name, ...args] = argv;
  // `help rollout` and `rollout --help` print that command's usage.
  const helpFor = name && HELP.has(name) ? args[0] : name && asksHelp(args) ? name : undefined;
  if (helpFor && commands[helpFor]) {
    const [synopsis, summary] = commands[helpFor].usage.split(/\s{2,}/);
    io.out(`usage: ${synopsis}\n\n${summary}`);
    return 0;
  }
  const command = helpFor ? undefined : name ? commands[name] : undefined;
  if (!command) {
    const asked = !helpFor && (!name || HELP.has(name));
    io.err(asked ? usage() : `unknown command: ${helpFor ?? name}\n${usage()}`);
    return asked ? 0 : 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`usage: ${error.message}`);
      return 2;
    }
    if (isArgumentError(error)) {
      io.err(`awm-studio ${name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    io.err(`awm-studio ${name}: ${messageOf(error)}`);
    return 1;
  } finally {
    await closeStudioDb();
  }
}
