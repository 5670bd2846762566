import { parseArgs } from "node:util";
import { runtimeStatus } from "../../runtime/runtime-status.ts";
import type { CliIo } from "../output.ts";

export const doctorUsage = "awm-studio doctor [--json]   check that environment code can run here (Python packages, sandbox)";

export async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" } } });
  const status = await runtimeStatus();
  if (values.json) {
    io.out(JSON.stringify(status, null, 2));
    return status.ready ? 0 : 1;
  }
  const { python, sandbox } = status;
  const modules = Object.entries(python.found).map(([name, version]) => `${name} ${version}`);
  io.out(`python   ${python.python}: ${python.error ?? (python.ok ? modules.join(", ") : `missing ${python.missing.join(", ")}`)}`);
  io.out(`sandbox  ${sandbox.available ? "bubblewrap, no network" : `unavailable: ${sandbox.reason}`}`);
  for (const line of status.advice) io.out(`-> ${line}`);
  io.out(status.ready ? "ready: environment code can run" : "not ready: environment code cannot run here");
  return status.ready ? 0 : 1;
}
