/** Test helpers that look at processes from the host's /proc. */
import fs from "node:fs";

/** The process and everything it started, as host pids (parent links read from /proc/<pid>/stat). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(name)]);
  }
  const tree = [root];
  for (let index = 0; index < tree.length; index++) tree.push(...(children.get(tree[index]!) ?? []));
  return tree;
}

export type ProcessState = "gone" | "zombie" | "running";

export function processState(pid: number): ProcessState {
  const stat = readStat(pid);
  if (!stat) return "gone";
  return stat.state === "Z" ? "zombie" : "running";
}

/** Polls (up to 15 s) until `done` holds; returns whether it did. */
export async function waitUntil(done: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Whether none of the pids still runs and none is a zombie this process would have to reap. (bwrap's
 * inner process can end up a zombie of the system's init, which reaps it in its own time.)
 */
export function noneRunningOrOurs(pids: number[]): boolean {
  const ours = new Set(processTree(process.pid));
  return pids.every((pid) => processState(pid) !== "running" && !ours.has(pid));
}

/** Fields after the command name, which is in parentheses and may itself hold ") ". */
function readStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid] = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined; // ended while we looked
  }
}
