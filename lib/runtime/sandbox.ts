/**
 * Runs an untrusted command under bubblewrap: all namespaces unshared (so an empty network), system
 * folders read-only, a private /tmp of bounded size, and only the folders the caller mounts. Nothing
 * else of the studio (its home, /work, its environment variables) is visible to the command.
 *
 * Limits: the whole process tree sits in its own cgroup (processes, memory) when cgroups are
 * writable here (cgroups.ts); each process also gets RLIMIT_AS and RLIMIT_FSIZE; tmpfs mounts have
 * a size. protections.ts says which of these are in force.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createTreeCgroup, type TreeCgroup, type TreeUsage } from "./cgroups.ts";
import { newHostFolder } from "./host-folders.ts";

export const DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_MAX_PROCESSES = 128;
export const DEFAULT_TMP_BYTES = 64 * 1024 * 1024;
export const DEFAULT_FILE_BYTES = 256 * 1024 * 1024;

export interface SandboxAvailability {
  available: boolean;
  reason?: string;
}

/** A host folder the command sees at `inside` (at the same path when unsandboxed). */
export interface SandboxMount {
  host: string;
  inside: string;
  writable?: boolean;
  /**
   * Sandboxed: a fresh private tmpfs of this many bytes at `inside` instead of `host`, so what the
   * command writes there is bounded and never on the studio's disk. Unsandboxed: `host` itself.
   */
  tmpfsBytes?: number;
}

export interface SpawnIsolatedOptions {
  mounts: SandboxMount[];
  /** The command line, given a function mapping host paths to the paths the command sees. */
  argv: (insidePath: (hostPath: string) => string) => string[];
  /** The complete environment of the command (nothing is inherited). */
  env: Record<string, string>;
  /** Host folder to start in; must lie inside a mount. */
  cwd: string;
  /** Memory of the whole process tree (cgroup) and of each process (RLIMIT_AS), default 1 GiB. */
  memoryBytes?: number;
  /** Processes and threads of the tree (cgroup pids.max), default DEFAULT_MAX_PROCESSES. */
  maxProcesses?: number;
  /** Size of the private /tmp, default DEFAULT_TMP_BYTES. */
  tmpBytes?: number;
  /** Largest file any process may write (RLIMIT_FSIZE), default DEFAULT_FILE_BYTES. */
  fileBytes?: number;
  /** Open descriptors handed to the command as fds 3, 4, … */
  passFds?: number[];
  /** Without bwrap, run the command directly instead of refusing. */
  allowUnsandboxed?: boolean;
  /** "pipe" gives the caller `child.stdin`; by default the command's stdin is closed. */
  stdin?: "pipe" | "ignore";
  /** This many pipes (sockets) after `passFds`: `child.stdio[3 + passFds.length + i]`. */
  extraPipes?: number;
  /** Sandboxed: the uid and gid inside (a user namespace of its own); default that of the studio. */
  uid?: number;
  /**
   * Who starts bwrap: `sandbox` (default) is SANDBOX_HOST_UID when the studio is root, for code of
   * an environment; `studio` keeps the studio's user, for a process of the studio's own that reads
   * untrusted data from the studio's folders (the database reader). Its /proc is then read-only: as
   * root, that user passes every check that asks only for uid 0 (/proc/sys).
   */
  hostUser?: "sandbox" | "studio";
  /** RLIMIT_AS of each process, default `memoryBytes`; null for none (Node's WebAssembly reserves more than it uses: the cgroup caps the tree). */
  addressSpaceBytes?: number | null;
}

export interface IsolatedProcess {
  child: ChildProcess;
  sandboxed: boolean;
  /** Set when the tree has its own cgroup (its process and memory limits are then in force). */
  cgroup?: TreeCgroup;
  /** Resolves once the command has ended and every process of its tree is gone. */
  ended: Promise<IsolatedEnd>;
  /** Kills the whole tree (the command alone when there is no cgroup: bwrap takes the rest with it). */
  kill(): void;
}

export interface IsolatedEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started. */
  error?: Error;
  /** What the tree's cgroup counted, when it had one. */
  usage?: TreeUsage;
}

const BWRAP = "/usr/bin/bwrap";
const PRLIMIT = "/usr/bin/prlimit";
const SETPRIV = "/usr/bin/setpriv";
const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib64"];
/** What the dynamic loader and Python's time module read from /etc; nothing else of it is shown. */
const ETC_FILES = ["/etc/ld.so.cache", "/etc/localtime"];

/**
 * The uid inside a sandbox that runs untrusted code: not root there, so its processes may map it into
 * user namespaces of their own without any capability (mapping root would take CAP_SETFCAP).
 */
export const SANDBOX_UID = 1000;

/**
 * When the studio runs as root, sandboxes start as this uid and gid instead (no account uses it). The
 * user inside a sandbox maps to the user that started bwrap: from root, untrusted code would be the
 * kernel's uid 0 without capabilities, which still passes every check that asks only for uid 0
 * (writing /proc/sys, e.g. kernel.core_pattern, whose pipe handler runs as root outside).
 */
export const SANDBOX_HOST_UID = 65532;

/** The uid sandboxes start as on the host: SANDBOX_HOST_UID under root, else the studio's own (undefined). */
export function sandboxHostUid(): number | undefined {
  return process.getuid?.() === 0 ? SANDBOX_HOST_UID : undefined;
}

/**
 * Gives what the studio made for a sandbox to read or write (a folder and what is in it) to the user
 * the sandbox runs as, when that is not the studio's own. Links are not followed: lchown changes the
 * link itself, and a linked folder is not entered.
 */
export function handToSandbox(file: string): void {
  const uid = sandboxHostUid();
  if (uid === undefined) return;
  const stat = fs.lstatSync(file);
  fs.lchownSync(file, uid, uid);
  if (!stat.isDirectory()) return;
  for (const entry of fs.readdirSync(file)) handToSandbox(path.join(file, entry));
}

const readableCopies = new Map<string, string>();

/**
 * A folder of the studio's own files a sandbox runs (its Python runtime, the job scripts), where the
 * sandbox's user can read it: the folder itself when that user is the studio's, else a copy handed
 * to it (the checkout may sit under a folder only root can enter). One copy per folder and process,
 * in a host folder of its own, so a dead process's copy is swept like its hosts'.
 */
export function readableBySandbox(dir: string): string {
  if (sandboxHostUid() === undefined) return dir;
  let copy = readableCopies.get(dir);
  if (!copy) {
    if (readableCopies.size === 0) process.once("exit", removeReadableCopies);
    copy = path.join(newHostFolder(), path.basename(dir));
    fs.cpSync(dir, copy, { recursive: true, filter: (source) => path.basename(source) !== "__pycache__" });
    handToSandbox(path.dirname(copy));
    readableCopies.set(dir, copy);
  }
  return copy;
}

/** At exit, synchronously: a process killed before this runs leaves them to the next one's sweep. */
function removeReadableCopies(): void {
  for (const copy of readableCopies.values()) fs.rmSync(path.dirname(copy), { recursive: true, force: true });
}

/** The command that starts bwrap as the sandbox's host user (setpriv), when that is not the studio's. */
function asSandboxHostUser(command: string[]): string[] {
  const uid = sandboxHostUid();
  return uid === undefined ? command : [SETPRIV, `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--", ...command];
}

let detected: SandboxAvailability | undefined;
let tmpfsSizes: boolean | undefined;

/** Whether bwrap exists and can start a fully unshared process here (checked once per process). */
export function detectSandbox(): SandboxAvailability {
  if (detected) return detected;
  if (!fs.existsSync(BWRAP)) {
    detected = { available: false, reason: `${BWRAP} not found (install the bubblewrap package)` };
    return detected;
  }
  if (sandboxHostUid() !== undefined && !fs.existsSync(SETPRIV)) {
    detected = { available: false, reason: `${SETPRIV} not found (install util-linux): the studio runs as root and starts sandboxes as uid ${SANDBOX_HOST_UID} with it` };
    return detected;
  }
  const [file, ...args] = asSandboxHostUser([BWRAP, ...baseBwrapArgs(), "/usr/bin/true"]) as [string, ...string[]];
  const probe = spawnSync(file, args, { encoding: "utf8", timeout: 10_000 });
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
  const memoryBytes = options.memoryBytes ?? DEFAULT_MEMORY_BYTES;
  const maxProcesses = options.maxProcesses ?? DEFAULT_MAX_PROCESSES;
  const insidePath = (hostPath: string) => (sandboxed ? mapToInside(options.mounts, hostPath) : hostPath);
  const stdio: StdioOptions = [options.stdin ?? "ignore", "pipe", "pipe", ...(options.passFds ?? []), ...Array<"pipe">(options.extraPipes ?? 0).fill("pipe")];
  const cgroup = createTreeCgroup({ memoryBytes, maxProcesses });
  const addressSpace = options.addressSpaceBytes === undefined ? memoryBytes : options.addressSpaceBytes;
  const rlimits = [...(addressSpace === null ? [] : [`--as=${addressSpace}`]), `--fsize=${options.fileBytes ?? DEFAULT_FILE_BYTES}`];
  // Without a cgroup, RLIMIT_NPROC is the only process cap. It binds a non-root user only, and counts
  // every thread of that user, so it is set above what the user runs already.
  if (!cgroup && process.getuid?.() !== 0) rlimits.push(`--nproc=${threadsOfThisUser() + maxProcesses}`);
  const limited = [PRLIMIT, ...rlimits, "--", ...options.argv(insidePath)];
  const asStudio = options.hostUser === "studio";
  const bwrap = [
    BWRAP,
    ...baseBwrapArgs(),
    ...(asStudio ? ["--remount-ro", "/proc"] : []),
    ...(options.uid === undefined ? [] : ["--unshare-user", "--uid", String(options.uid), "--gid", String(options.uid)]),
    ...tmpfsArgs(options.tmpBytes ?? DEFAULT_TMP_BYTES, "/tmp"),
    ...options.mounts.flatMap(mountArgs),
    // bwrap's root and /dev are tmpfs folders this user owns: writable, every process of the
    // sandbox (each episode, each job) could leave files there for the next to read.
    ...["--remount-ro", "/", "--remount-ro", "/dev"],
    "--chdir",
    insidePath(options.cwd),
    "--clearenv",
    ...Object.entries(options.env).flatMap(([name, value]) => ["--setenv", name, value]),
    ...limited,
  ];
  const command = !sandboxed ? limited : asStudio ? bwrap : asSandboxHostUser(bwrap);
  const [file, ...args] = (cgroup ? cgroup.joinCommand(command) : command) as [string, ...string[]];
  let child: ChildProcess;
  try {
    child = spawn(file, args, { cwd: sandboxed ? undefined : options.cwd, env: exactEnv(sandboxed ? {} : options.env), stdio });
  } catch (error) {
    void cgroup?.release();
    throw error;
  }
  const ended = new Promise<IsolatedEnd>((resolve) => {
    const finish = (end: IsolatedEnd) => {
      if (!cgroup) return resolve(end);
      void cgroup.release().then((usage) => resolve({ ...end, usage }));
    };
    child.once("error", (error) => finish({ code: null, signal: null, error }));
    child.once("close", (code, signal) => finish({ code, signal }));
  });
  const kill = () => {
    child.kill("SIGKILL");
    cgroup?.killAll();
  };
  return { child, sandboxed, ...(cgroup && { cgroup }), ended, kill };
}

function threadsOfThisUser(): number {
  const uid = String(process.getuid?.());
  let threads = 0;
  for (const entry of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, "utf8");
      if (/^Uid:\s+(\d+)/m.exec(status)?.[1] === uid) threads += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
    } catch {
      // the process ended while we looked
    }
  }
  return threads;
}

/** Whether this bwrap can size a tmpfs (`--size`, bubblewrap 0.5 and later). */
export function tmpfsSizeSupported(): boolean {
  tmpfsSizes ??= spawnSync(BWRAP, ["--help"], { encoding: "utf8", timeout: 10_000 }).stdout?.includes("--size") ?? false;
  return tmpfsSizes;
}

function tmpfsArgs(bytes: number, inside: string): string[] {
  return [...(tmpfsSizeSupported() ? ["--size", String(bytes)] : []), "--tmpfs", inside];
}

function mountArgs(mount: SandboxMount): string[] {
  if (mount.tmpfsBytes !== undefined) return tmpfsArgs(mount.tmpfsBytes, mount.inside);
  return [mount.writable ? "--bind" : "--ro-bind", mount.host, mount.inside];
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
