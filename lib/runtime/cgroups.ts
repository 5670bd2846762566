/**
 * One cgroup per sandboxed process tree: a cap on its processes (pids.max) and on the memory of the
 * whole tree (memory.limit_in_bytes / memory.max), read back after the tree ends (OOM kills, fork
 * failures at the cap), then removed. cgroup v1 (separate pids and memory hierarchies) and v2 (one
 * unified hierarchy) are both handled; each group is created under the studio's own cgroup, so
 * the limits above the studio still apply.
 *
 * A command joins the group before it execs (see `joinCommand`), so no process of the tree is ever
 * outside it: a spawned process moved afterwards could fork first.
 */
import fs from "node:fs";
import { messageOf } from "../errors.ts";
import { processExists } from "../process-exists.ts";
import path from "node:path";

export interface TreeLimits {
  memoryBytes: number;
  maxProcesses: number;
  /** CPU time of the whole tree, in cores (when the cpu controller is writable here); default TREE_CPU_CORES. */
  cpuCores?: number;
}

/**
 * One core per tree: an episode, a host, a worker or a reader that spins (busy loops left running
 * after a call answered) takes at most one of the machine's cores, whatever it forks.
 */
export const TREE_CPU_CORES = 1;
const CPU_PERIOD_US = 100_000;

export type CgroupSupport =
  | { available: true; version: "v1" | "v2"; memoryDir: string; pidsDir: string; /** Where CPU quotas go, when that controller is writable too. */ cpuDir?: string }
  | { available: false; reason: string };

export interface TreeUsage {
  /** Processes the kernel killed because the tree reached its memory limit. */
  oomKills: number;
  /** Forks refused because the tree reached its process limit. */
  forkRefusals: number;
  /** Highest memory use of the tree, when the kernel reports it. */
  peakMemoryBytes?: number;
  /** Periods in which the tree was held back at its CPU quota, when it has one. */
  cpuThrottled?: number;
}

export interface TreeCgroup {
  limits: TreeLimits;
  /** `argv` run by a shell that first moves itself into the group, then execs it. */
  joinCommand(argv: string[]): string[];
  /** Moves a process that cannot have forked yet into the group (an episode waiting for its go). */
  adopt(pid: number): void;
  usage(): TreeUsage;
  /** The processes in the group now. */
  members(): number[];
  /** Kills every process left in the group. */
  killAll(): void;
  /** Kills what is left, waits until the group is empty, reads its usage, then removes it. */
  release(): Promise<TreeUsage>;
}

const ROOT = "/sys/fs/cgroup";
const GROUP_PREFIX = "awm-";
const RELEASE_WAIT_MS = 5_000;
/** Joins every procs file given (the first argument says how many), then execs the rest. */
const JOIN_SCRIPT = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';

let support: CgroupSupport | undefined;
let created = 0;
const liveGroups = new Set<Group>();

/**
 * Where this process can create limited groups, checked once (a probe group is made and removed).
 * Groups left by studio processes that died without cleaning up are removed then.
 */
export function detectCgroups(): CgroupSupport {
  if (support) return support;
  support = probe();
  if (support.available) {
    for (const dir of new Set([support.memoryDir, support.pidsDir, ...(support.cpuDir ? [support.cpuDir] : [])])) removeOrphans(dir);
    // What an exit handler can do synchronously; a group still busy is swept by the next start.
    process.once("exit", () => {
      for (const group of liveGroups) group.removeNow();
    });
  }
  return support;
}

/** A new group with these limits, or undefined when cgroups are not writable here (see detectCgroups). */
export function createTreeCgroup(limits: TreeLimits): TreeCgroup | undefined {
  const found = detectCgroups();
  if (!found.available) return undefined;
  const name = `${GROUP_PREFIX}${process.pid}-${++created}`;
  const cpu = found.cpuDir === undefined ? undefined : path.join(found.cpuDir, name);
  const dirs = [...new Set([path.join(found.memoryDir, name), path.join(found.pidsDir, name), ...(cpu ? [cpu] : [])])];
  for (const dir of dirs) fs.mkdirSync(dir);
  try {
    const memory = path.join(found.memoryDir, name);
    const pids = path.join(found.pidsDir, name);
    const quota = String(Math.round((limits.cpuCores ?? TREE_CPU_CORES) * CPU_PERIOD_US));
    if (cpu && found.version === "v1") {
      fs.writeFileSync(path.join(cpu, "cpu.cfs_period_us"), String(CPU_PERIOD_US));
      fs.writeFileSync(path.join(cpu, "cpu.cfs_quota_us"), quota);
    } else if (cpu) {
      fs.writeFileSync(path.join(cpu, "cpu.max"), `${quota} ${CPU_PERIOD_US}`);
    }
    if (found.version === "v1") {
      fs.writeFileSync(path.join(memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
      // With swap, the RAM limit alone would let the tree spill into swap.
      writeIfPresent(path.join(memory, "memory.memsw.limit_in_bytes"), String(limits.memoryBytes));
    } else {
      fs.writeFileSync(path.join(memory, "memory.max"), String(limits.memoryBytes));
      writeIfPresent(path.join(memory, "memory.swap.max"), "0");
      // The whole tree goes at once, as a process would under one address-space limit.
      writeIfPresent(path.join(memory, "memory.oom.group"), "1");
    }
    fs.writeFileSync(path.join(pids, "pids.max"), String(limits.maxProcesses));
    const group = new Group(found.version, memory, pids, cpu, dirs, limits);
    liveGroups.add(group);
    return group;
  } catch (error) {
    for (const dir of dirs) fs.rmdirSync(dir);
    throw error;
  }
}

class Group implements TreeCgroup {
  private released?: Promise<TreeUsage>;

  constructor(
    private readonly version: "v1" | "v2",
    private readonly memoryDir: string,
    private readonly pidsDir: string,
    private readonly cpuDir: string | undefined,
    private readonly dirs: string[],
    readonly limits: TreeLimits,
  ) {}

  joinCommand(argv: string[]): string[] {
    const procs = this.dirs.map((dir) => path.join(dir, "cgroup.procs"));
    return ["/bin/sh", "-c", JOIN_SCRIPT, "sh", String(procs.length), ...procs, ...argv];
  }

  adopt(pid: number): void {
    for (const dir of this.dirs) fs.writeFileSync(path.join(dir, "cgroup.procs"), String(pid));
  }

  usage(): TreeUsage {
    const memoryEvents = this.version === "v1" ? "memory.oom_control" : "memory.events";
    const peak = readNumber(path.join(this.memoryDir, this.version === "v1" ? "memory.max_usage_in_bytes" : "memory.peak"));
    return {
      oomKills: counter(path.join(this.memoryDir, memoryEvents), "oom_kill"),
      forkRefusals: counter(path.join(this.pidsDir, "pids.events"), "max"),
      ...(peak !== undefined && { peakMemoryBytes: peak }),
      ...(this.cpuDir !== undefined && { cpuThrottled: counter(path.join(this.cpuDir, "cpu.stat"), "nr_throttled") }),
    };
  }

  killAll(): void {
    if (this.version === "v2" && writeIfPresent(path.join(this.pidsDir, "cgroup.kill"), "1")) return;
    for (const pid of this.members()) killQuietly(pid);
  }

  release(): Promise<TreeUsage> {
    this.released ??= this.emptyAndRemove();
    return this.released;
  }

  private async emptyAndRemove(): Promise<TreeUsage> {
    const deadline = Date.now() + RELEASE_WAIT_MS;
    while (this.members().length > 0 && Date.now() < deadline) {
      this.killAll();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const usage = this.usage();
    this.removeNow();
    return usage;
  }

  /** Kills the members and removes the group's folders (a folder with members left stays). */
  removeNow(): void {
    this.killAll();
    for (const dir of this.dirs) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // still busy: swept as an orphan by the next studio process
      }
    }
    liveGroups.delete(this);
  }

  members(): number[] {
    const pids = new Set<number>();
    for (const dir of this.dirs) {
      for (const line of readText(path.join(dir, "cgroup.procs")).split("\n")) if (line) pids.add(Number(line));
    }
    return [...pids];
  }
}

function probe(): CgroupSupport {
  const own = ownCgroups();
  const v1Memory = own.get("memory");
  const v1Pids = own.get("pids");
  const reasons: string[] = [];
  if (v1Memory !== undefined && v1Pids !== undefined) {
    const memoryDir = path.join(ROOT, "memory", v1Memory);
    const pidsDir = path.join(ROOT, "pids", v1Pids);
    const problem = probeWritable([memoryDir, pidsDir]);
    const v1Cpu = own.get("cpu");
    const cpuDir = v1Cpu === undefined ? undefined : path.join(ROOT, "cpu", v1Cpu);
    // The CPU quota is a limit more, not a condition: without a writable cpu hierarchy, trees go without.
    const withCpu = cpuDir !== undefined && fs.existsSync(path.join(cpuDir, "cpu.cfs_quota_us")) && !probeWritable([cpuDir]);
    if (!problem) return { available: true, version: "v1", memoryDir, pidsDir, ...(withCpu && { cpuDir }) };
    reasons.push(`cgroup v1: ${problem}`);
  }
  const unified = own.get("");
  if (unified !== undefined && fs.existsSync(path.join(ROOT, "cgroup.controllers"))) {
    const dir = path.join(ROOT, unified);
    const problem = delegateV2(dir) ?? probeWritable([dir]);
    const withCpu = readText(path.join(dir, "cgroup.subtree_control")).split(/\s+/).includes("cpu") || writeIfPresent(path.join(dir, "cgroup.subtree_control"), "+cpu");
    if (!problem) return { available: true, version: "v2", memoryDir: dir, pidsDir: dir, ...(withCpu && { cpuDir: dir }) };
    reasons.push(`cgroup v2: ${problem}`);
  }
  return { available: false, reason: reasons.join("; ") || "no pids and memory cgroup controllers are mounted under /sys/fs/cgroup" };
}

/** Groups named after a studio process that no longer exists: their members are killed, the groups removed. */
function removeOrphans(parent: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const owner = new RegExp(`^${GROUP_PREFIX}(\\d+)-\\d+$`).exec(name)?.[1];
    if (owner === undefined || processExists(Number(owner))) continue;
    const dir = path.join(parent, name);
    for (const line of readText(path.join(dir, "cgroup.procs")).split("\n")) {
      if (line) killQuietly(Number(line));
    }
    try {
      fs.rmdirSync(dir);
    } catch {
      // members still exiting: the next sweep takes it
    }
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Controller list → this process's path in that hierarchy ("" is v2's unified one). */
function ownCgroups(): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of readText("/proc/self/cgroup").split("\n")) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    for (const controller of match[1]!.split(",")) own.set(controller, match[2]!);
  }
  return own;
}

function probeWritable(dirs: string[]): string | undefined {
  const name = `${GROUP_PREFIX}probe-${process.pid}`;
  for (const dir of dirs) {
    try {
      fs.mkdirSync(path.join(dir, name));
      fs.rmdirSync(path.join(dir, name));
    } catch (error) {
      return `cannot create a group in ${dir} (${messageOf(error)})`;
    }
  }
  return undefined;
}

/**
 * v2 gives controllers to child groups only from a group without processes of its own: the studio
 * moves itself into a leaf `<own>/awm-studio`, then enables memory and pids for its own group's
 * children, where the sandboxes go (what `systemd-run --scope` does for a delegated user).
 */
function delegateV2(dir: string): string | undefined {
  const controllers = readText(path.join(dir, "cgroup.controllers")).split(/\s+/);
  const missing = ["memory", "pids"].filter((name) => !controllers.includes(name));
  if (missing.length > 0) return `${missing.join(" and ")} not delegated to ${dir}`;
  const enabled = readText(path.join(dir, "cgroup.subtree_control")).split(/\s+/);
  if (enabled.includes("memory") && enabled.includes("pids")) return undefined;
  try {
    const leaf = path.join(dir, `${GROUP_PREFIX}studio`);
    fs.mkdirSync(leaf, { recursive: true });
    fs.writeFileSync(path.join(leaf, "cgroup.procs"), String(process.pid));
    fs.writeFileSync(path.join(dir, "cgroup.subtree_control"), "+memory +pids");
    return undefined;
  } catch (error) {
    // EBUSY: other processes share the studio's group; a delegated group of its own fixes that
    // (e.g. `systemd-run --user --scope -p Delegate=yes npm start`).
    return `cannot enable memory and pids for groups under ${dir} (${messageOf(error)}); start the studio in a delegated cgroup of its own, e.g. systemd-run --user --scope -p Delegate=yes npm start`;
  }
}

function writeIfPresent(file: string, value: string): boolean {
  try {
    fs.writeFileSync(file, value);
    return true;
  } catch {
    return false;
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function readNumber(file: string): number | undefined {
  const text = readText(file).trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The value of `key` in a flat-keyed file ("oom_kill 2"). */
function counter(file: string, key: string): number {
  const match = new RegExp(`^${key} (\\d+)$`, "m").exec(readText(file));
  return match ? Number(match[1]) : 0;
}
