/**
 * Which protections around environment code are in force on this machine, each with how it is
 * enforced or why it is not, for `awm-studio doctor` and the Settings page.
 */
import { instanceManagerLimits, type InstanceManagerLimits } from "./limits.ts";
import { detectCgroups, TREE_CPU_CORES } from "./cgroups.ts";
import { sandboxHostUid, detectSandbox, tmpfsSizeSupported } from "./sandbox.ts";

export interface Protection {
  name: string;
  enforced: boolean;
  /** How it is enforced, or why it is not and what that leaves open. */
  how: string;
}

export interface ProtectionReport {
  sandbox: Protection;
  limits: Protection[];
  /** Names of the protections not in force. */
  off: string[];
}

/** `signalScopingMissing`: as the runtime's interpreter finds it (python-runtime.ts); undefined when not asked. */
export function describeProtections(limits: InstanceManagerLimits = instanceManagerLimits(), signalScopingMissing?: string | null): ProtectionReport {
  const sandbox = detectSandbox();
  const cgroups = detectCgroups();
  const sized = sandbox.available && tmpfsSizeSupported();
  const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
  const noCgroup = cgroups.available ? "" : cgroups.reason;
  const root = process.getuid?.() === 0;
  const report: Protection[] = [
    cgroups.available
      ? { name: "processes", enforced: true, how: `at most ${limits.maxProcesses} processes and threads per instance (cgroup ${cgroups.version} pids.max)` }
      : root
        ? { name: "processes", enforced: false, how: `not limited: cgroups are not writable here (${noCgroup}) and RLIMIT_NPROC does not bind root` }
        : { name: "processes", enforced: true, how: `RLIMIT_NPROC at this user's running threads + ${limits.maxProcesses}, shared by all of this user's processes, not per instance (cgroups are not writable here: ${noCgroup})` },
    cgroups.available
      ? { name: "memory of the process tree", enforced: true, how: `${mib(limits.memoryBytes)} for an instance's processes together, kernel OOM kill reported as out of memory (cgroup ${cgroups.version})` }
      : { name: "memory of the process tree", enforced: false, how: `only per process, so N processes may use N × ${mib(limits.memoryBytes)} (cgroups are not writable here: ${noCgroup})` },
    cgroups.available && cgroups.cpuDir !== undefined
      ? { name: "CPU of the process tree", enforced: true, how: `at most ${TREE_CPU_CORES} core for an instance's processes together (cgroup ${cgroups.version} CPU quota), whatever they fork` }
      : { name: "CPU of the process tree", enforced: false, how: `not limited: ${cgroups.available ? "the cpu controller is not writable here" : `cgroups are not writable here (${noCgroup})`}; a call's time limit and the idle stop still end an instance` },
    { name: "memory of each process", enforced: true, how: `address space at most ${mib(limits.memoryBytes)} (RLIMIT_AS)` },
    sized
      ? { name: "size of /tmp", enforced: true, how: `private tmpfs of ${mib(limits.tmpBytes)}${cgroups.available ? ", counted in the tree's memory" : ""}` }
      : { name: "size of /tmp", enforced: false, how: sandbox.available ? "private tmpfs without a size: this bwrap has no --size (bubblewrap 0.5 or later has it)" : "no private /tmp: environment code runs unsandboxed" },
    sized
      ? { name: "size of the instance folder", enforced: true, how: `private tmpfs of ${mib(limits.diskBytes)} holding the working database, never on the studio's disk` }
      : { name: "size of the instance folder", enforced: false, how: `each file at most ${mib(limits.diskBytes)} (RLIMIT_FSIZE), the folder's total is not bounded (${sandbox.available ? "this bwrap has no --size" : "unsandboxed"})` },
    { name: "largest file", enforced: true, how: `${mib(limits.diskBytes)} per file written (RLIMIT_FSIZE)` },
    { name: "call time", enforced: true, how: `a tool call over ${limits.callTimeoutMs} ms stops its instance` },
    { name: "instance folders removed", enforced: true, how: "an instance's folder is removed when its process ends (stopped or crashed)" },
    ...(sandbox.available && signalScopingMissing !== undefined ? [episodesApart(signalScopingMissing)] : []),
    sandbox.available
      ? { name: "database reader", enforced: true, how: "untrusted databases are read in bubblewrap: no network, the studio's database folders read-only and a scratch folder of its own, not the studio's database, token or the rest of this machine" }
      : { name: "database reader", enforced: false, how: `untrusted databases are read in a process with the studio's files and network, capped in memory and time only (${sandbox.reason})` },
  ];
  const sandboxProtection: Protection = sandbox.available
    ? {
        name: "sandbox",
        enforced: true,
        how: `bubblewrap: no network, no capabilities, system read-only, only its own tmpfs folders writable${sandboxHostUid() === undefined ? "" : `; started as uid ${sandboxHostUid()}, not root, so no kernel setting is writable from it`}`,
      }
    : { name: "sandbox", enforced: false, how: limits.allowUnsandboxed ? `OFF: environment code runs with this machine's files and network (AWM_STUDIO_ALLOW_UNSANDBOXED=1; ${sandbox.reason})` : `environment code is refused: ${sandbox.reason}` };
  return { sandbox: sandboxProtection, limits: report, off: [sandboxProtection, ...report].filter((item) => !item.enforced).map((item) => item.name) };
}

/** Episodes of one environment run as one user in one sandbox: what keeps each from the others and from their host. */
function episodesApart(signalScopingMissing: string | null): Protection {
  const own = "each episode has its own network namespace (no shared loopback port or abstract socket)";
  return signalScopingMissing === null
    ? { name: "episodes apart", enforced: true, how: `${own} and its own Landlock domain: it cannot signal its host or another episode` }
    : { name: "episodes apart", enforced: false, how: `${own}, but an episode can signal (kill) its host and the other episodes of its environment: ${signalScopingMissing}` };
}
