/**
 * Runs an untrusted command under bubblewrap: all namespaces unshared (so an empty network), system
 * folders read-only, a private /tmp, and only the folders the caller mounts. Nothing else of the
 * studio (its home, /work, its environment variables) is visible to the command.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024;

export interface SandboxAvailability {
  available: boolean;
  reason?: string;
}

/** A host folder the command sees at `inside` (at the same path when unsandboxed). */
export interface SandboxMount {
  host: string;
  inside: string;
  writable?: boolean;
}

export interface SpawnIsolatedOptions {
  mounts: SandboxMount[];
  /** The command line, given a function mapping host paths to the paths the command sees. */
  argv: (insidePath: (hostPath: string) => string) => string[];
  /** The complete environment of the command (nothing is inherited). */
  env: Record<string, string>;
  /** Host folder to start in; must lie inside a mount. */
  cwd: string;
  /** Address-space limit (RLIMIT_AS via prlimit), default 1 GiB. */
  memoryBytes?: number;
  /** Without bwrap, run the command directly instead of refusing. */
  allowUnsandboxed?: boolean;
  /** "pipe" gives the caller `child.stdin`; by default the command's stdin is closed. */
  stdin?: "pipe" | "ignore";
}

export interface IsolatedProcess {
  child: ChildProcess;
  sandboxed: boolean;
}

const BWRAP = "/usr/bin/bwrap";
const PRLIMIT = "/usr/bin/prlimit";
const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib64"];
/** What the dynamic loader and Python's time module read from /etc; nothing else of it is shown. */
const ETC_FILES = ["/etc/ld.so.cache", "/etc/localtime"];

let detected: SandboxAvailability | undefined;

/** Whether bwrap exists and can start a fully unshared process here (checked once per process). */
export function detectSandbox(): SandboxAvailability {
  if (detected) return detected;
  if (!fs.existsSync(BWRAP)) {
    detected = { available: false, reason: `${BWRAP} not found (install the bubblewrap package)` };
    return detected;
  }
  const probe = spawnSync(BWRAP, [...baseBwrapArgs(), "/usr/bin/true"], { encoding: "utf8", timeout: 10_000 });
  detected =
    probe.status === 0
      ? { available: true }
      : { available: false, reason: `bwrap cannot start a sandbox here: ${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()}` };
  return detected;
}

/** Spawns the command sandboxed, or directly when bwrap is unavailable and that is explicitly allowed. */
export function spawnIsolated(options: SpawnIsolatedOptions): IsolatedProcess {
  const sandbox = detectSandbox();
  if (!sandbox.available && !options.allowUnsandboxed) {
    throw new Error(`refusing to run untrusted code without a sandbox: ${sandbox.reason} (set AWM_STUDIO_ALLOW_UNSANDBOXED=1 to run it anyway, unsandboxed)`);
  }
  const sandboxed = sandbox.available;
  const insidePath = (hostPath: string) => (sandboxed ? mapToInside(options.mounts, hostPath) : hostPath);
  const stdio: StdioOptions = [options.stdin ?? "ignore", "pipe", "pipe"];
  const limited = [PRLIMIT, `--as=${options.memoryBytes ?? DEFAULT_MEMORY_BYTES}`, "--", ...options.argv(insidePath)];
  if (!sandboxed) {
    const [command, ...args] = limited as [string, ...string[]];
    return { child: spawn(command, args, { cwd: options.cwd, env: exactEnv(options.env), stdio }), sandboxed };
  }
  const args = [
    ...baseBwrapArgs(),
    ...options.mounts.flatMap((mount) => [mount.writable ? "--bind" : "--ro-bind", mount.host, mount.inside]),
    "--chdir",
    insidePath(options.cwd),
    "--clearenv",
    ...Object.entries(options.env).flatMap(([name, value]) => ["--setenv", name, value]),
    ...limited,
  ];
  return { child: spawn(BWRAP, args, { env: exactEnv({}), stdio }), sandboxed };
}

function baseBwrapArgs(): string[] {
  return [
    "--unshare-all",
    "--unshare-net",
    "--die-with-parent",
    "--new-session",
    // The studio may run as root: untrusted code keeps none of root's capabilities inside.
    "--cap-drop",
    "ALL",
    ...SYSTEM_DIRS.flatMap(systemDirArgs),
    ...ETC_FILES.flatMap((file) => ["--ro-bind-try", file, file]),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/tmp",
  ];
}

/** Debian links /bin, /lib, /lib64 into /usr: recreate such links instead of binding twice. */
function systemDirArgs(dir: string): string[] {
  const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!stat) return [];
  if (stat.isSymbolicLink()) return ["--symlink", fs.readlinkSync(dir), dir];
  return ["--ro-bind", dir, dir];
}

/** Next.js declares NODE_ENV required on ProcessEnv; the command gets exactly `env`, nothing added. */
export function exactEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return env as NodeJS.ProcessEnv;
}

function mapToInside(mounts: SandboxMount[], hostPath: string): string {
  const resolved = path.resolve(hostPath);
  for (const mount of mounts) {
    const relative = path.relative(mount.host, resolved);
    if (relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative))) return path.join(mount.inside, relative);
  }
  return resolved;
}
