/**
 * CPU spent while something runs: by the whole machine (every process: the studio, its sandboxes,
 * environment processes, verifiers, readers) from /proc/stat, and by this process alone. Where
 * /proc/stat cannot be read (not Linux) the machine's figure is null.
 */
import fs from "node:fs";

export interface CpuSpent<T> {
  value: T;
  /** Milliseconds of CPU the whole machine spent, all cores together; null where unknown. */
  machineMs: number | null;
  /** Milliseconds of CPU this process spent. */
  ownMs: number;
}

export async function withCpu<T>(run: () => Promise<T>): Promise<CpuSpent<T>> {
  const machineBefore = machineBusyMs();
  const ownBefore = process.cpuUsage();
  const value = await run();
  const own = process.cpuUsage(ownBefore);
  const machineAfter = machineBusyMs();
  return { value, machineMs: machineBefore === null || machineAfter === null ? null : machineAfter - machineBefore, ownMs: (own.user + own.system) / 1000 };
}

/** Busy time of all cores since boot (user, nice, system, irq, softirq), in ms. */
function machineBusyMs(): number | null {
  let first: string;
  try {
    first = fs.readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  } catch {
    return null;
  }
  const [user, nice, system, , , irq, softirq] = first.trim().split(/\s+/).slice(1).map(Number);
  const ticks = [user, nice, system, irq, softirq];
  if (ticks.some((value) => value === undefined || !Number.isFinite(value))) return null;
  // /proc/stat counts in USER_HZ, 100 per second on Linux.
  return ticks.reduce((sum: number, value) => sum + (value ?? 0), 0) * 10;
}
