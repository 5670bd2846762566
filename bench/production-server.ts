import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { projectRoot } from "../lib/config/paths.ts";
import { studioServerCommand } from "../scripts/lib/process.mjs";
import { progress } from "./measurement.ts";

export const BENCH_DIST_DIR = ".next-bench";
const BENCH_PORTS = [3120, 3121, 3122, 3123, 3124, 3125, 3126, 3127, 3128, 3129];

/** Builds the app into .next-bench unless that build is current (output goes to stderr). */
export function ensureBenchBuild(): void {
  const result = spawnSync(process.execPath, [path.join(projectRoot(), "scripts", "ensure-build.mjs"), BENCH_DIST_DIR], {
    cwd: projectRoot(),
    stdio: ["ignore", process.stderr, process.stderr],
  });
  if (result.status !== 0) throw new Error(`next build into ${BENCH_DIST_DIR} failed (exit status ${result.status})`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function freeBenchPort(): Promise<number> {
  for (const port of BENCH_PORTS) if (await portIsFree(port)) return port;
  throw new Error(`no free port among ${BENCH_PORTS.join(", ")}`);
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

async function waitUntilServing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the studio server exited with status ${child.exitCode} before serving ${url}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`the studio server did not answer at ${url} within ${timeoutMs} ms`);
}

/** The studio server (scripts/studio-server.ts) on the bench build, on a free loopback port, serving the given studio home. */
export async function startProductionServer(home: string): Promise<RunningServer> {
  const port = await freeBenchPort();
  const url = `http://127.0.0.1:${port}`;
  const [command, args] = studioServerCommand(port);
  const child = spawn(command, args, {
    cwd: projectRoot(),
    // Loopback only, so the token may be off: every other gate check (Host, Origin, body) still runs
    // on each measured request, and page loads need no sign-in redirect.
    env: { ...process.env, AWM_STUDIO_HOME: home, NEXT_DIST_DIR: BENCH_DIST_DIR, NEXT_TELEMETRY_DISABLED: "1", AWM_STUDIO_AUTH: "off" },
    stdio: ["ignore", process.stderr, process.stderr],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  try {
    await waitUntilServing(url, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  progress(`production server on ${url} (home ${home})`);
  return { url, stop };
}
