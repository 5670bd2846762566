/** Finding processes of a sandbox by what /proc says of them (pids inside differ from the host's). */
import fs from "node:fs";

/** The Python process under the spawned one (bwrap forks twice; prlimit execs into Python). */
export function findPythonProcess(rootPid: number): number | undefined {
  const parentOf = new Map<number, number>();
  for (const pid of processIds()) {
    const parent = parentPid(pid);
    if (parent !== undefined) parentOf.set(pid, parent);
  }
  const family = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parentOf) {
      if (family.has(parent) && !family.has(pid)) {
        family.add(pid);
        grew = true;
      }
    }
  }
  return [...family].find((pid) => readProcFile(`/proc/${pid}/comm`).startsWith("python"));
}

/** How many pids after the last one found are tried before all of /proc is read. */
const NEARBY = 64;
let lastFound = 0;

/**
 * The host pid of the child of `parent` whose pid in its own namespace is `innerPid`. Pids are
 * handed out in order, so the pids just after the last one found are tried first.
 */
export function findHostPid(parent: number, innerPid: number): number | undefined {
  const isIt = (pid: number) => {
    const status = readProcFile(`/proc/${pid}/status`);
    return new RegExp(`^PPid:\\s+${parent}$`, "m").test(status) && new RegExp(`^NSpid:.*\\s${innerPid}$`, "m").test(status);
  };
  for (let pid = Math.max(lastFound, parent) + 1; pid <= Math.max(lastFound, parent) + NEARBY; pid++) {
    if (isIt(pid)) return (lastFound = pid);
  }
  const found = processIds().find((pid) => parentPid(pid) === parent && isIt(pid));
  if (found !== undefined) lastFound = found;
  return found;
}

/** Resident memory (VmRSS) of a process, in bytes. */
export function residentBytes(pid: number): number | undefined {
  const match = /VmRSS:\s+(\d+) kB/.exec(readProcFile(`/proc/${pid}/status`));
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Proportional set size of a process (its private pages plus its share of pages shared with others), in bytes. */
export function proportionalBytes(pid: number): number | undefined {
  const match = /^Pss:\s+(\d+) kB/m.exec(readProcFile(`/proc/${pid}/smaps_rollup`));
  return match ? Number(match[1]) * 1024 : undefined;
}

function processIds(): number[] {
  return fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number);
}

/** Field 4 of /proc/<pid>/stat; the command name (field 2) may contain spaces. */
function parentPid(pid: number): number | undefined {
  const stat = readProcFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[1] ? Number(fields[1]) : undefined;
}

function readProcFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
