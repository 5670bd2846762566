import { readStudioAddress } from "../../http/studio-address.ts";
import { parseArgs } from "node:util";
import { accessStatus, type AccessStatus } from "../../http/access-status.ts";
import type { ProtectionReport } from "../../runtime/protections.ts";
import { runtimeStatus } from "../../runtime/runtime-status.ts";
import type { CliIo } from "../output.ts";

export const doctorUsage =
  "awm-studio doctor [--json]   check that environment code can run here (Python packages, sandbox), the limits in force, and who can reach the studio";

export async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" } } });
  const status = await runtimeStatus();
  const access = accessStatus();
  const { protections } = status;
  const off = [...protections.off, ...(access.auth === "off" ? ["auth"] : [])];
  if (values.json) {
    io.out(JSON.stringify({ ...status, access, protections: { ...protections, off } }, null, 2));
    return status.ready ? 0 : 1;
  }
  const { python, sandbox } = status;
  const modules = Object.entries(python.found).map(([name, version]) => `${name} ${version}`);
  io.out(`python   ${python.python}: ${python.error ?? (python.ok ? modules.join(", ") : `missing ${python.missing.join(", ")}`)}`);
  io.out(`sandbox  ${sandbox.available ? "bubblewrap, no network" : `unavailable: ${sandbox.reason}`}`);
  for (const line of protectionLines(protections)) io.out(line);
  for (const line of accessLines(access)) io.out(line);
  for (const line of [...status.advice, ...access.problems]) io.out(`-> ${line}`);
  io.out(off.length === 0 ? "protections: all in force" : `protections OFF: ${off.join(", ")}`);
  io.out(status.ready ? "ready: environment code can run" : "not ready: environment code cannot run here");
  return status.ready ? 0 : 1;
}

function protectionLines(report: ProtectionReport): string[] {
  return report.limits.map((item) => `limit    ${item.enforced ? "on " : "OFF"} ${item.name}: ${item.how}`);
}

function accessLines(access: AccessStatus): string[] {
  const where = `${access.listen.host}:${access.listen.port}${access.beyondLoopback ? " (beyond loopback)" : " (loopback)"}`;
  const token = access.tokenFileMode ? `${access.tokenFile} (${access.tokenFileMode})` : `${access.tokenFile} (made on first start)`;
  const running = readStudioAddress();
  return [
    `auth     ${access.auth === "on" ? `on: token in ${token}` : "OFF (AWM_STUDIO_AUTH=off)"}; ${running ? `the studio server last started at ${running}` : `npm start listens on ${where}`}`,
    `hosts    ${access.allowedHosts.join(", ")}`,
  ];
}
