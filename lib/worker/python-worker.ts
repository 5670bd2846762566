/**
 * The sandboxed Python job workers: python/forked_jobs.py plus one job script, under bubblewrap with
 * only the worker folder (mounted at /worker, writable only when asked) and the scripts visible, and
 * each job in its own forked, unprivileged process (verifiers, seed-database builds).
 */
import path from "node:path";
import { projectRoot } from "../config/paths.ts";
import { interpreterMounts, runtimePythonDir } from "../runtime/python-runtime.ts";
import { detectSandbox, readableBySandbox, SANDBOX_UID, spawnIsolated } from "../runtime/sandbox.ts";
import { JobWorker } from "./job-worker.ts";

const INSIDE_WORKER = "/worker";
const INSIDE_SCRIPTS = "/opt/awm-worker";
const INSIDE_RUNTIME = "/opt/awm-runtime";

export interface PythonWorkerSettings {
  /** What one job is, in errors: "verifier" gives "the verifier worker ... while running this verifier". */
  label: string;
  /** File name of the job script in lib/worker/python. */
  script: string;
  python: string;
  memoryBytes: number;
  allowUnsandboxed: boolean;
  /** Jobs may write into their batch folder (otherwise it is mounted read-only). */
  writableFolder?: boolean;
  /** Quiet time after which the worker process stops; default IDLE_SHUTDOWN_MS. */
  idleShutdownMs?: number;
  /** Longest line of an answer; default the job worker's. */
  maxAnswerBytes?: number;
}

const sharedWorkers = new Map<string, JobWorker>();

/** The process-wide worker for these settings, created on first use. */
export function sharedPythonWorker(settings: PythonWorkerSettings): JobWorker {
  const key = JSON.stringify(settings);
  let worker = sharedWorkers.get(key);
  if (!worker) {
    worker = pythonWorker(settings);
    sharedWorkers.set(key, worker);
  }
  return worker;
}

export function pythonWorker(settings: PythonWorkerSettings): JobWorker {
  const { python, script } = settings;
  return new JobWorker({
    label: settings.label,
    idleShutdownMs: settings.idleShutdownMs,
    maxAnswerBytes: settings.maxAnswerBytes,
    insidePath: (folder) => (detectSandbox().available ? INSIDE_WORKER : folder),
    launch: (folder) => {
      const sandboxed = detectSandbox().available;
      const [scripts, runtime] = sandboxed ? [readableBySandbox(scriptsDir()), readableBySandbox(runtimePythonDir())] : [scriptsDir(), runtimePythonDir()];
      return spawnIsolated({
        mounts: [
          { host: folder, inside: INSIDE_WORKER, writable: settings.writableFolder === true },
          { host: scripts, inside: INSIDE_SCRIPTS },
          { host: runtime, inside: INSIDE_RUNTIME },
          ...interpreterMounts(python),
        ],
        argv: (inside) => [python, "-I", "-S", "-B", path.join(inside(scripts), script), "--runtime-dir", inside(runtime), ...(sandboxed ? ["--sandboxed"] : [])],
        env: { PATH: "/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8" },
        cwd: folder,
        memoryBytes: settings.memoryBytes,
        allowUnsandboxed: settings.allowUnsandboxed,
        stdin: "pipe",
        uid: SANDBOX_UID,
      }).child;
    },
  });
}

function scriptsDir(): string {
  return path.join(projectRoot(), "lib", "worker", "python");
}
