/**
 * Which process owns a long-running record (a pipeline job, an import run), so that another
 * process can tell a live owner from a dead one: the owner writes its host, pid and a heartbeat;
 * it is gone when its heartbeat is older than ORPHAN_AFTER_MS or its pid no longer exists here.
 */
import os from "node:os";
import { processExists } from "../process-exists.ts";

export const HEARTBEAT_MS = 5_000;
export const ORPHAN_AFTER_MS = 60_000;

export interface ProcessOwner {
  host: string;
  pid: number;
  heartbeatAt: string;
}

export function thisOwner(): ProcessOwner {
  return { host: os.hostname(), pid: process.pid, heartbeatAt: new Date().toISOString() };
}

/**
 * Whether the owning process is still there to finish its work. A record owned by this very process
 * counts as orphaned: callers check their own registry of running work first.
 */
export function ownerAlive(owner: ProcessOwner | undefined, now = Date.now()): boolean {
  if (!owner) return false;
  if (now - Date.parse(owner.heartbeatAt) > ORPHAN_AFTER_MS) return false;
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return false;
  return processExists(owner.pid);
}

/** The `owner` field of a JSON progress document, if it has one. */
export function ownerOf(progress: string): ProcessOwner | undefined {
  try {
    return (JSON.parse(progress) as { owner?: ProcessOwner }).owner;
  } catch {
    return undefined;
  }
}
