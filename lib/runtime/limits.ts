/** Instance limits, read from the environment each time so tests and operators can change them. */
import type { InstanceLimits } from "../runtime/instance.ts";

export interface InstanceManagerLimits {
  /** Live instances allowed at once when set (AWM_STUDIO_MAX_INSTANCES); else capacity.ts derives it from memory. */
  maxInstances?: number;
  /** An instance with no tool call or reset for this long is stopped (AWM_STUDIO_IDLE_MS). */
  idleMs: number;
  /** Memory of an instance's whole process tree, and of each of its processes (AWM_STUDIO_MEMORY_MB). */
  memoryBytes: number;
  /** Processes and threads of an instance (AWM_STUDIO_MAX_PROCESSES). */
  maxProcesses: number;
  /** Size of an instance's own folder, its working database included (AWM_STUDIO_DISK_MB). */
  diskBytes: number;
  /** Size of an instance's private /tmp (AWM_STUDIO_TMP_MB). */
  tmpBytes: number;
  /** Deadline of one tool call (AWM_STUDIO_CALL_TIMEOUT_MS). */
  callTimeoutMs: number;
  /** Run without bubblewrap when it is unavailable (AWM_STUDIO_ALLOW_UNSANDBOXED=1). */
  allowUnsandboxed: boolean;
}

export function instanceManagerLimits(env: NodeJS.ProcessEnv = process.env): InstanceManagerLimits {
  return {
    ...(env.AWM_STUDIO_MAX_INSTANCES?.trim() && { maxInstances: positiveInteger(env, "AWM_STUDIO_MAX_INSTANCES", 1) }),
    idleMs: positiveInteger(env, "AWM_STUDIO_IDLE_MS", 15 * 60_000),
    memoryBytes: positiveInteger(env, "AWM_STUDIO_MEMORY_MB", 1024) * 1024 * 1024,
    maxProcesses: positiveInteger(env, "AWM_STUDIO_MAX_PROCESSES", 128),
    diskBytes: positiveInteger(env, "AWM_STUDIO_DISK_MB", 256) * 1024 * 1024,
    tmpBytes: positiveInteger(env, "AWM_STUDIO_TMP_MB", 64) * 1024 * 1024,
    callTimeoutMs: positiveInteger(env, "AWM_STUDIO_CALL_TIMEOUT_MS", 30_000),
    allowUnsandboxed: env.AWM_STUDIO_ALLOW_UNSANDBOXED === "1",
  };
}

/** The limits one instance starts with. */
export function instanceLimits(limits: InstanceManagerLimits = instanceManagerLimits()): Partial<InstanceLimits> {
  const { memoryBytes, maxProcesses, diskBytes, tmpBytes, callTimeoutMs } = limits;
  return { memoryBytes, maxProcesses, diskBytes, tmpBytes, callTimeoutMs };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
}
