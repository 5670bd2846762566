/**
 * The verifier worker: one long-lived sandboxed Python process (python/verifier_runner.py) that takes
 * batches of verifier jobs as JSON lines on stdin and answers one JSON line per job on stdout, so
 * verifier runs stop paying a bubblewrap + Python start each. The worker forks per job (see the
 * script), so the guarantees per verifier are those of a fresh process.
 *
 * Batches run one after another in the order they were asked for. A worker that dies or stops
 * answering fails the job it was on (naming the crash and its stderr tail) and is started again for
 * the rest. It stops after a quiet spell and when this process exits; while idle it does not keep
 * this process alive.
 *
 * Worker folder (host temp dir, mounted READ-ONLY at /verify): jobs/<batch>/ holds the database copies
 * of one batch, written from here before the batch is sent and deleted once it is answered.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import type { Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "../config/paths.ts";
import { interpreterMounts } from "../runtime/python-runtime.ts";
import { detectSandbox, spawnIsolated } from "../runtime/sandbox.ts";
import { stageJobs, type StagedJob, type VerifierJob } from "./job-staging.ts";

export const IDLE_SHUTDOWN_MS = 30_000;
/** Python start-up plus the gap between the worker's own timer and our kill. */
const PROCESS_GRACE_MS = 3_000;
/** How long a worker asked to stop (stdin closed) may take before it is killed. */
const STOP_GRACE_MS = 2_000;
const STDERR_TAIL_CHARS = 4_000;
const INSIDE_WORKER = "/verify";
const INSIDE_RUNNER = "/opt/awm-verify";

export interface VerifierWorkerSettings {
  python: string;
  memoryBytes: number;
  allowUnsandboxed: boolean;
  /** Quiet time after which the worker process stops; default IDLE_SHUTDOWN_MS. */
  idleShutdownMs?: number;
}

/** A worker answer: the output's shape is checked by the caller. */
export type RawRun = { ok: true; output: unknown; pyType: string; durationMs: number } | { ok: false; error: string; durationMs: number };

/** What the exit handler must not leave behind. */
const liveProcesses = new Set<WorkerProcess>();
const liveFolders = new Set<string>();
const sharedWorkers = new Map<string, VerifierWorker>();

/** The process-wide worker for these settings, created on first use. */
export function sharedVerifierWorker(settings: VerifierWorkerSettings): VerifierWorker {
  const key = JSON.stringify([settings.python, settings.memoryBytes, settings.allowUnsandboxed, settings.idleShutdownMs]);
  let worker = sharedWorkers.get(key);
  if (!worker) {
    worker = new VerifierWorker(settings);
    sharedWorkers.set(key, worker);
  }
  return worker;
}

export class VerifierWorker {
  private process: WorkerProcess | undefined;
  private folder: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private pendingBatches = 0;
  private batchCount = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly settings: VerifierWorkerSettings) {}

  /** Host pid of the running worker process (bwrap's when sandboxed), if one is up. */
  get pid(): number | undefined {
    return this.process?.child.pid;
  }

  /** Host folder of the database copies (mounted read-only in the sandbox), while one exists. */
  get hostFolder(): string | undefined {
    return this.folder;
  }

  /** Runs the jobs once every batch asked for earlier is done; one result per job, in job order. */
  run(jobs: VerifierJob[], timeoutMs: number): Promise<RawRun[]> {
    this.pendingBatches++;
    clearTimeout(this.idleTimer);
    this.process?.hold(true);
    const done = this.queue.then(() => this.runBatch(jobs, timeoutMs));
    this.queue = done.catch(() => undefined);
    return done.finally(() => {
      if (--this.pendingBatches === 0) this.becomeIdle();
    });
  }

  private async runBatch(jobs: VerifierJob[], timeoutMs: number): Promise<RawRun[]> {
    const folder = this.workerFolder();
    const batch = `jobs/${++this.batchCount}`;
    const batchDir = path.join(folder, batch);
    fs.mkdirSync(batchDir, { recursive: true });
    try {
      const staged = stageJobs(batchDir, `${INSIDE_WORKER}/${batch}`, jobs);
      const runnable = staged.filter((job): job is StagedJob => !("stageError" in job));
      const ran: RawRun[] = [];
      while (ran.length < runnable.length) ran.push(...(await this.exchange(runnable.slice(ran.length), timeoutMs)));
      const byId = new Map(runnable.map((job, index) => [job.id, ran[index]!]));
      return staged.map((job): RawRun => ("stageError" in job ? { ok: false, error: job.stageError, durationMs: 0 } : byId.get(job.id)!));
    } finally {
      fs.rmSync(batchDir, { recursive: true, force: true });
    }
  }

  /**
   * Sends the jobs as one message. Returns an answer for every job the worker finished plus, when it
   * died or was killed, an error for the job it was on; the caller sends the rest again.
   */
  private exchange(jobs: StagedJob[], timeoutMs: number): Promise<RawRun[]> {
    let worker: WorkerProcess;
    try {
      worker = this.runningProcess();
    } catch (error) {
      return Promise.resolve([{ ok: false, error: (error as Error).message, durationMs: 0 }]);
    }
    return new Promise((resolve) => {
      const answers: RawRun[] = [];
      let jobStarted = performance.now();
      let killedForTime = false;
      let watchdog: NodeJS.Timeout | undefined;
      const armWatchdog = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          killedForTime = true;
          worker.kill();
        }, timeoutMs + PROCESS_GRACE_MS);
      };
      const finish = () => {
        clearTimeout(watchdog);
        worker.listen(undefined);
        resolve(answers);
      };
      worker.listen({
        answer: (line) => {
          answers.push(parseAnswer(line));
          if (answers.length === jobs.length) return finish();
          jobStarted = performance.now();
          worker.stderrTail = "";
          armWatchdog();
        },
        exit: (how) => {
          const durationMs = Math.round(performance.now() - jobStarted);
          const stderr = worker.stderrTail.trim();
          const error = killedForTime
            ? `timed out after ${timeoutMs / 1000} s (the verifier worker did not answer and was killed)`
            : `the verifier worker ${how} while running this verifier${stderr ? `\n--- stderr (tail) ---\n${stderr}` : ""}`;
          answers.push({ ok: false, error, durationMs });
          finish();
        },
      });
      worker.stderrTail = "";
      armWatchdog();
      worker.send(JSON.stringify({ timeout_seconds: timeoutMs / 1000, jobs }));
    });
  }

  private runningProcess(): WorkerProcess {
    if (this.process && !this.process.exited) return this.process;
    const folder = this.workerFolder();
    const { python } = this.settings;
    const sandboxed = detectSandbox().available;
    const { child } = spawnIsolated({
      mounts: [{ host: folder, inside: INSIDE_WORKER }, { host: runnerDir(), inside: INSIDE_RUNNER }, ...interpreterMounts(python)],
      argv: (inside) => [python, "-I", "-S", "-B", path.join(inside(runnerDir()), "verifier_runner.py"), ...(sandboxed ? ["--sandboxed"] : [])],
      env: { PATH: "/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8" },
      cwd: folder,
      memoryBytes: this.settings.memoryBytes,
      allowUnsandboxed: this.settings.allowUnsandboxed,
      stdin: "pipe",
    });
    const worker = new WorkerProcess(child, () => {
      if (this.process === worker) this.process = undefined;
    });
    this.process = worker;
    return worker;
  }

  private workerFolder(): string {
    if (!this.folder) {
      ensureExitCleanup();
      this.folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-verifier-worker-"));
      liveFolders.add(this.folder);
    }
    return this.folder;
  }

  private becomeIdle(): void {
    this.process?.hold(false);
    this.idleTimer = setTimeout(() => this.stopIdle(), this.settings.idleShutdownMs ?? IDLE_SHUTDOWN_MS);
    this.idleTimer.unref();
  }

  /** Asks the worker to end (end of stdin) and removes its folder once it has. */
  private stopIdle(): void {
    const worker = this.process;
    const folder = this.folder;
    this.process = undefined;
    this.folder = undefined;
    if (worker) worker.stop(() => removeFolder(folder));
    else removeFolder(folder);
  }
}

interface AnswerListener {
  answer(line: string): void;
  exit(how: string): void;
}

/** One worker process: line framing on stdout, a stderr tail, and how it ended. */
class WorkerProcess {
  stderrTail = "";
  private listener: AnswerListener | undefined;
  private pendingOutput = "";
  private ended = false;
  private afterEnd: (() => void)[] = [];

  constructor(
    readonly child: ChildProcess,
    onEnd: () => void,
  ) {
    this.afterEnd.push(onEnd);
    liveProcesses.add(this);
    child.stdin?.on("error", () => undefined); // a dead worker is reported by "close"
    child.stdout?.on("data", (chunk: Buffer) => {
      this.pendingOutput += chunk.toString("utf8");
      let newline: number;
      while ((newline = this.pendingOutput.indexOf("\n")) >= 0) {
        const line = this.pendingOutput.slice(0, newline);
        this.pendingOutput = this.pendingOutput.slice(newline + 1);
        this.listener?.answer(line);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
    });
    child.once("error", (error) => this.end(`could not start: ${error.message}`));
    child.once("close", (code, signal) => this.end(describeEnd(code, signal)));
  }

  listen(listener: AnswerListener | undefined): void {
    this.listener = listener;
  }

  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** Whether this process keeps Node's event loop alive (only while batches are pending). */
  hold(held: boolean): void {
    if (held) this.child.ref();
    else this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      const socket = stream as Partial<Socket> | null;
      if (held) socket?.ref?.();
      else socket?.unref?.();
    }
  }

  stop(then: () => void): void {
    if (this.ended) return then();
    this.afterEnd.push(then);
    this.child.stdin?.end();
    setTimeout(() => this.kill(), STOP_GRACE_MS).unref();
  }

  get exited(): boolean {
    return this.ended || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  kill(): void {
    if (!this.ended) this.child.kill("SIGKILL");
  }

  private end(how: string): void {
    if (this.ended) return;
    this.ended = true;
    liveProcesses.delete(this);
    this.listener?.exit(how);
    for (const callback of this.afterEnd) callback();
  }
}

/** bwrap reports a command killed by signal N as exit code 128 + N. */
function describeEnd(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `was killed by ${signal}`;
  if (code !== null && code > 128) return `was killed by signal ${code - 128} (exit code ${code})`;
  return `exited with code ${code}`;
}

function parseAnswer(line: string): RawRun {
  try {
    const parsed = JSON.parse(line) as { ok: boolean; output?: unknown; py_type?: string; error?: string; duration_ms: number };
    const durationMs = Math.round(parsed.duration_ms);
    return parsed.ok
      ? { ok: true, output: parsed.output, pyType: parsed.py_type ?? "object", durationMs }
      : { ok: false, error: parsed.error ?? "unknown error", durationMs };
  } catch (error) {
    return { ok: false, error: `unreadable answer from the verifier worker (${(error as Error).message}): ${line.slice(0, 200)}`, durationMs: 0 };
  }
}

function runnerDir(): string {
  return path.join(projectRoot(), "lib", "verify", "python");
}

function removeFolder(folder: string | undefined): void {
  if (!folder) return;
  fs.rmSync(folder, { recursive: true, force: true });
  liveFolders.delete(folder);
}

let exitCleanupRegistered = false;

function ensureExitCleanup(): void {
  if (exitCleanupRegistered) return;
  exitCleanupRegistered = true;
  process.once("exit", () => {
    for (const worker of liveProcesses) worker.kill();
    for (const folder of liveFolders) removeFolder(folder);
  });
}
