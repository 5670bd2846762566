/** Instance limits, read from the environment each time so tests and operators can change them. */

export interface InstanceManagerLimits {
  /** Live instances allowed at once (AWM_STUDIO_MAX_INSTANCES). */
  maxInstances: number;
  /** An instance with no tool call or reset for this long is stopped (AWM_STUDIO_IDLE_MS). */
  idleMs: number;
  /** Address-space limit of each environment process (AWM_STUDIO_MEMORY_MB). */
  memoryBytes: number;
  /** Deadline of one tool call (AWM_STUDIO_CALL_TIMEOUT_MS). */
  callTimeoutMs: number;
  /** Run without bubblewrap when it is unavailable (AWM_STUDIO_ALLOW_UNSANDBOXED=1). */
  allowUnsandboxed: boolean;
}

export function instanceManagerLimits(env: NodeJS.ProcessEnv = process.env): InstanceManagerLimits {
  return {
    maxInstances: positiveInteger(env, "AWM_STUDIO_MAX_INSTANCES", 16),
    idleMs: positiveInteger(env, "AWM_STUDIO_IDLE_MS", 15 * 60_000),
    memoryBytes: positiveInteger(env, "AWM_STUDIO_MEMORY_MB", 1024) * 1024 * 1024,
    callTimeoutMs: positiveInteger(env, "AWM_STUDIO_CALL_TIMEOUT_MS", 30_000),
    allowUnsandboxed: env.AWM_STUDIO_ALLOW_UNSANDBOXED === "1",
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
}
