/**
 * A long-lived worker process that takes batches of jobs as JSON lines on stdin and answers one JSON
 * line per job on stdout, so jobs stop paying a process start each: the sandboxed Python workers
 * (python-worker.ts: verifiers, seed builds) and the database reader (untrusted-db/reader.ts). A line
 * {"progress": text} before an answer says what the job is doing; errors quote the last one.
 *
 * Batches run one after another in the order they were asked for. A worker that dies or stops
 * answering fails the job it was on (naming the crash and its stderr tail) and is started again for
 * the rest. A worker whose answer says "retiring": why (it could not clear what that job left) takes
 * no further job: the rest go to a new one. It stops after a quiet spell and when this process exits; while idle it does not keep
 * this process alive.
 *
 * Worker folder (a host temp dir, seen by the process at `insidePath(folder)`): jobs/<batch>/ holds
 * one batch's files, prepared before the batch is sent and deleted once it is answered.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import type { Socket } from "node:net";
import path from "node:path";
import { messageOf } from "../errors.ts";
import { sandboxReachableTemp } from "../runtime/host-folders.ts";
import { handToSandbox } from "../runtime/sandbox.ts";

export const IDLE_SHUTDOWN_MS = 30_000;
/** Default gap between a job's time budget and our kill: Python start-up plus the worker's own timer. */
const KILL_GRACE_MS = 3_000;
/** How long a worker asked to stop (stdin closed) may take before it is killed. */
const STOP_GRACE_MS = 2_000;
const STDERR_TAIL_CHARS = 4_000;
const MAX_ANSWER_BYTES = 256 * 1024 * 1024;
export interface JobWorkerSettings {
  /** What one job is, in errors: "verifier" gives "the verifier worker ... while running this verifier". */
  label: string;
  /** Starts the worker process in its worker folder (a host path). */
  launch: (folder: string) => ChildProcess;
  /** The worker folder as the process sees it; default the same path. */
  insidePath?: (folder: string) => string;
  /** Quiet time after which the worker process stops; default IDLE_SHUTDOWN_MS. */
  idleShutdownMs?: number;
  /** How long after a job's time budget an unanswering worker is killed; default 3 s. */
  killGraceMs?: number;
  /** A longer answer line kills the worker (its job fails) instead of filling this heap; default 256 MiB. */
  maxAnswerBytes?: number;
}

/** A worker answer: `fields` is the job's JSON answer, its shape checked by the caller. */
export type JobAnswer = { ok: true; fields: Record<string, unknown>; durationMs: number } | { ok: false; error: string; durationMs: number };

/** A batch's folder as this process sees it and as the jobs see it. */
export interface BatchFolder {
  host: string;
  inside: string;
}

/** Sends jobs (each with a unique `id`); one answer per job, in job order. */
export type SendJobs = <Job extends { id: number }>(jobs: Job[]) => Promise<JobAnswer[]>;

/** What the exit handler must not leave behind. */
const liveProcesses = new Set<WorkerProcess>();
const liveFolders = new Set<string>();

export class JobWorker {
  private process: WorkerProcess | undefined;
  private folder: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private pendingBatches = 0;
  private batchCount = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly settings: JobWorkerSettings) {}

  /** Host pid of the running worker process (bwrap's when sandboxed), if one is up. */
  get pid(): number | undefined {
    return this.process?.child.pid;
  }

  /** Batches asked for and not yet answered. */
  get pending(): number {
    return this.pendingBatches;
  }

  /** Host folder of the batch folders, while one exists. */
  get hostFolder(): string | undefined {
    return this.folder;
  }

  /**
   * Runs `batch` once every batch asked for earlier is done: it gets a fresh batch folder (removed
   * afterwards) and a `send` whose jobs each have `timeoutMs`.
   */
  run<T>(timeoutMs: number, batch: (folder: BatchFolder, send: SendJobs) => Promise<T> | T): Promise<T> {
    return this.inTurn(() => this.runBatch(timeoutMs, batch));
  }

  /** Like run, for jobs that read no file of the batch's own: no batch folder is made (a diff's or a page's read). */
  runWithoutFolder<T>(timeoutMs: number, batch: (send: SendJobs) => Promise<T> | T): Promise<T> {
    return this.inTurn(async () => batch(this.sender(timeoutMs)));
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    this.pendingBatches++;
    clearTimeout(this.idleTimer);
    this.process?.hold(true);
    const done = this.queue.then(work);
    this.queue = done.catch(() => undefined);
    return done.finally(() => {
      if (--this.pendingBatches === 0) this.becomeIdle();
    });
  }

  private async runBatch<T>(timeoutMs: number, batch: (folder: BatchFolder, send: SendJobs) => Promise<T> | T): Promise<T> {
    const name = `jobs/${++this.batchCount}`;
    const folder = this.workerFolder();
    const host = path.join(folder, name);
    fs.mkdirSync(host, { recursive: true });
    handToSandbox(path.join(folder, "jobs"));
    try {
      return await batch({ host, inside: `${this.settings.insidePath?.(folder) ?? folder}/${name}` }, this.sender(timeoutMs, host));
    } finally {
      // Off the event loop: on a busy disk, removing a folder's files waits for the journal.
      await fs.promises.rm(host, { recursive: true, force: true });
    }
  }

  /** What the batch put in its folder goes to the sandbox's user (see handToSandbox) before each send. */
  private sender(timeoutMs: number, batchFolder?: string): SendJobs {
    return async (jobs) => {
      if (batchFolder) handToSandbox(batchFolder);
      const answers: JobAnswer[] = [];
      while (answers.length < jobs.length) answers.push(...(await this.exchange(jobs.slice(answers.length), timeoutMs)));
      return answers;
    };
  }

  /**
   * Sends the jobs as one message. Returns an answer for every job the worker finished plus, when it
   * died or was killed, an error for the job it was on; the caller sends the rest again.
   */
  private exchange(jobs: { id: number }[], timeoutMs: number): Promise<JobAnswer[]> {
    const { label } = this.settings;
    let worker: WorkerProcess;
    try {
      worker = this.runningProcess();
    } catch (error) {
      return Promise.resolve([{ ok: false, error: messageOf(error), durationMs: 0 }]);
    }
    return new Promise((resolve) => {
      const answers: JobAnswer[] = [];
      let jobStarted = performance.now();
      let killedForTime = false;
      let progress: string | undefined;
      let watchdog: NodeJS.Timeout | undefined;
      const armWatchdog = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          killedForTime = true;
          worker.kill();
        }, timeoutMs + (this.settings.killGraceMs ?? KILL_GRACE_MS));
      };
      const finish = () => {
        clearTimeout(watchdog);
        worker.listen(undefined);
        resolve(answers);
      };
      worker.listen({
        answer: (line) => {
          const note = progressNote(line);
          if (note !== undefined) {
            progress = note;
            return;
          }
          progress = undefined;
          const { answer, retiring } = parseAnswer(line, label);
          answers.push(answer);
          if (retiring) {
            worker.retire();
            return finish();
          }
          if (answers.length === jobs.length) return finish();
          jobStarted = performance.now();
          worker.stderrTail = "";
          armWatchdog();
        },
        exit: (how) => {
          const durationMs = Math.round(performance.now() - jobStarted);
          const stderr = worker.stderrTail.trim();
          const at = progress === undefined ? "" : ` (at: ${progress})`;
          const error = killedForTime
            ? `timed out after ${timeoutMs / 1000} s${at} (the ${label} worker did not answer and was killed)`
            : `the ${label} worker ${how} while running this ${label}${at}${stderr ? `\n--- stderr (tail) ---\n${stderr}` : ""}`;
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
    const child = this.settings.launch(this.workerFolder());
    const worker = new WorkerProcess(child, this.settings.maxAnswerBytes ?? MAX_ANSWER_BYTES, () => {
      if (this.process === worker) this.process = undefined;
    });
    this.process = worker;
    return worker;
  }

  private workerFolder(): string {
    if (!this.folder) {
      ensureExitCleanup();
      this.folder = fs.mkdtempSync(path.join(sandboxReachableTemp(), `awm-${this.settings.label.replaceAll(" ", "-")}-worker-`));
      handToSandbox(this.folder);
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

const NEWLINE = 0x0a;

/** One worker process: line framing on stdout, a stderr tail, and how it ended. */
class WorkerProcess {
  stderrTail = "";
  private listener: AnswerListener | undefined;
  private pendingOutput: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;
  private overflowed = false;
  private retired = false;
  private afterEnd: (() => void)[] = [];

  constructor(
    readonly child: ChildProcess,
    private readonly maxAnswerBytes: number,
    onEnd: () => void,
  ) {
    this.afterEnd.push(onEnd);
    liveProcesses.add(this);
    child.stdin?.on("error", () => undefined); // a dead worker is reported by "close"
    // Lines as bytes: a newline is looked for in each new chunk only (a long answer arrives in many),
    // and a line is decoded whole, so a character split between chunks stays one character.
    child.stdout?.on("data", (chunk: Buffer) => {
      if (this.overflowed) return; // the rest of the overlong line, until the kill takes effect
      let rest = chunk;
      let newline: number;
      while ((newline = rest.indexOf(NEWLINE)) >= 0) {
        const line = Buffer.concat([...this.pendingOutput, rest.subarray(0, newline)]).toString("utf8");
        this.pendingOutput = [];
        this.pendingBytes = 0;
        rest = rest.subarray(newline + 1);
        this.listener?.answer(line);
      }
      if (rest.length > 0) {
        this.pendingOutput.push(rest);
        this.pendingBytes += rest.length;
      }
      if (this.pendingBytes > this.maxAnswerBytes) {
        this.overflowed = true;
        this.pendingOutput = [];
        this.pendingBytes = 0;
        this.kill();
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
    });
    child.once("error", (error) => this.end(`could not start: ${error.message}`));
    child.once("close", (code, signal) =>
      this.end(this.overflowed ? `was killed for an answer longer than ${this.maxAnswerBytes.toLocaleString("en-US")} bytes` : describeEnd(code, signal)),
    );
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

  /** Takes no further job (see the module comment): it exits by itself, or is stopped. */
  retire(): void {
    this.retired = true;
    this.hold(false);
    this.stop(() => undefined);
  }

  get exited(): boolean {
    return this.retired || this.ended || this.child.exitCode !== null || this.child.signalCode !== null;
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

function progressNote(line: string): string | undefined {
  if (!line.startsWith('{"progress":')) return undefined;
  try {
    return String((JSON.parse(line) as { progress: unknown }).progress);
  } catch {
    return undefined;
  }
}

/** A job's answer, and why the worker retires after it (see the module comment), if it does. */
function parseAnswer(line: string, label: string): { answer: JobAnswer; retiring?: string } {
  try {
    const { ok, error, duration_ms: durationMs, retiring, ...fields } = JSON.parse(line) as { ok: boolean; error?: string; duration_ms: number; retiring?: unknown } & Record<string, unknown>;
    const answer: JobAnswer = ok ? { ok: true, fields, durationMs: Math.round(durationMs) } : { ok: false, error: error ?? "unknown error", durationMs: Math.round(durationMs) };
    return { answer, ...(typeof retiring === "string" && { retiring }) };
  } catch (error) {
    return { answer: { ok: false, error: `unreadable answer from the ${label} worker (${messageOf(error)}): ${line.slice(0, 200)}`, durationMs: 0 } };
  }
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
