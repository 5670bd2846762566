/** The `awm-studio` CLI as its own process, for tests that kill it or read what it prints. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../config/paths.ts";

export interface CliRun {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
}

export function spawnCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, [path.join(projectRoot(), "bin", "awm-studio.mjs"), ...args], {
    cwd: projectRoot(),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exit: CliRun["exit"] = new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exit };
}
