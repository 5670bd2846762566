/**
 * The verifier sandbox: AWM verifier code (untrusted, LLM-written Python) runs under bubblewrap with
 * no network, a memory limit, a time limit per verifier, and both databases as read-only copies.
 * Many verifiers can share one Python process (`runVerifiers`), which is what makes checking a whole
 * environment fast; a verifier that hangs or kills its process costs only itself.
 *
 * Run folder (host temp dir, mounted read-only at /verify): jobs.json and the database copies.
 * The runner script is mounted read-only at /opt/awm-verify.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { VerifierMode } from "../awm/types.ts";
import { projectRoot } from "../config/paths.ts";
import { defaultPython, interpreterMounts } from "../runtime/python-runtime.ts";
import { spawnIsolated } from "../runtime/sandbox.ts";
import { outputShapeError } from "./verifier-output.ts";

export const DEFAULT_VERIFIER_TIMEOUT_MS = 10_000;
export const DEFAULT_VERIFIER_MEMORY_BYTES = 512 * 1024 * 1024;
/** Python start-up plus the gap between the runner's own timer and our kill. */
const PROCESS_GRACE_MS = 3_000;
const STDERR_TAIL_CHARS = 4_000;
const INSIDE_RUN = "/verify";
const INSIDE_RUNNER = "/opt/awm-verify";

export interface VerifierJob {
  code: string;
  mode: VerifierMode;
  initialDbFile: string;
  finalDbFile: string;
  finalAnswer?: string;
}

export type VerifierRun = { ok: true; output: unknown; durationMs: number } | { ok: false; error: string; durationMs: number };

export interface VerifierSandboxOptions {
  /** Per verifier, default 10 s. */
  timeoutMs?: number;
  memoryBytes?: number;
  python?: string;
  /** Without bwrap, run verifiers unsandboxed instead of failing them (databases are still copies). */
  allowUnsandboxed?: boolean;
}

/** One verifier in its own sandboxed process. */
export async function runVerifier(opts: VerifierJob & { timeoutMs?: number }): Promise<VerifierRun> {
  const [run] = await runVerifiers([opts], { timeoutMs: opts.timeoutMs });
  return run!;
}

/** Runs the verifiers in one sandboxed Python process (more only when one kills it); results in job order. */
export async function runVerifiers(jobs: VerifierJob[], options: VerifierSandboxOptions = {}): Promise<VerifierRun[]> {
  if (jobs.length === 0) return [];
  const timeoutMs = options.timeoutMs ?? DEFAULT_VERIFIER_TIMEOUT_MS;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-verify-"));
  try {
    const staged = stageJobs(folder, jobs);
    const runnable = staged.filter((job): job is StagedJob => !("stageError" in job));
    const ran: RawRun[] = [];
    while (ran.length < runnable.length) {
      ran.push(...(await runProcess(folder, runnable.slice(ran.length), timeoutMs, options)));
    }
    const byId = new Map(runnable.map((job, index) => [job.id, ran[index]!]));
    return staged.map((job, index): VerifierRun => {
      if ("stageError" in job) return { ok: false, error: job.stageError, durationMs: 0 };
      return withShapeCheck(jobs[index]!.mode, byId.get(job.id)!);
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

interface StagedJob {
  id: number;
  mode: VerifierMode;
  code: string;
  initial: string;
  final: string;
  final_answer: string | null;
}

/** A runner line: the output is checked for shape afterwards, in TypeScript. */
type RawRun = { ok: true; output: unknown; pyType: string; durationMs: number } | { ok: false; error: string; durationMs: number };

/**
 * Copies each distinct database once into the run folder, read-only, under the path the verifier
 * will see. A job whose database cannot be copied is not run; it carries the reason.
 */
function stageJobs(folder: string, jobs: VerifierJob[]): (StagedJob | { id: number; stageError: string })[] {
  const copies = new Map<string, string | Error>();
  const stage = (hostFile: string) => {
    const resolved = path.resolve(hostFile);
    if (!copies.has(resolved)) {
      const name = `db-${copies.size + 1}.sqlite`;
      try {
        copyReadOnly(resolved, path.join(folder, name));
        copies.set(resolved, `${INSIDE_RUN}/${name}`);
      } catch (error) {
        copies.set(resolved, new Error(`cannot copy database ${resolved} for the verifier: ${(error as Error).message}`));
      }
    }
    const staged = copies.get(resolved)!;
    if (staged instanceof Error) throw staged;
    return staged;
  };
  return jobs.map((job, id) => {
    try {
      return { id, mode: job.mode, code: job.code, initial: stage(job.initialDbFile), final: stage(job.finalDbFile), final_answer: job.finalAnswer ?? null };
    } catch (error) {
      return { id, stageError: (error as Error).message };
    }
  });
}

/**
 * A plain file copy, except for databases in WAL mode (their latest pages may sit in the -wal file,
 * and a read-only folder cannot hold the -shm a WAL reader needs): those go through SQLite's backup
 * and are switched to a rollback journal.
 */
function copyReadOnly(source: string, target: string): void {
  if (!fs.existsSync(source)) throw new Error("no such file");
  if (fs.existsSync(`${source}-wal`) || isWalDatabase(source)) {
    const from = new Database(source, { readonly: true, fileMustExist: true });
    try {
      from.prepare("VACUUM INTO ?").run(target);
    } finally {
      from.close();
    }
  } else {
    fs.copyFileSync(source, target);
  }
  fs.chmodSync(target, 0o444);
}

/** SQLite header bytes 18-19 are 2 for WAL databases. */
function isWalDatabase(file: string): boolean {
  const header = Buffer.alloc(20);
  const handle = fs.openSync(file, "r");
  try {
    return fs.readSync(handle, header, 0, 20, 0) === 20 && header[18] === 2;
  } finally {
    fs.closeSync(handle);
  }
}

function runnerDir(): string {
  return path.join(projectRoot(), "lib", "verify", "python");
}

/**
 * One runner process over `jobs`. Returns a result for every job it finished plus the one it was
 * on when it died or was killed; the caller starts another process for the rest.
 */
async function runProcess(folder: string, jobs: StagedJob[], timeoutMs: number, options: VerifierSandboxOptions): Promise<RawRun[]> {
  const jobsFile = path.join(folder, `jobs-${jobs[0]!.id}.json`);
  fs.writeFileSync(jobsFile, JSON.stringify({ timeout_seconds: timeoutMs / 1000, jobs }));
  const python = options.python ?? defaultPython();
  let child: ChildProcess;
  try {
    ({ child } = spawnIsolated({
      mounts: [{ host: folder, inside: INSIDE_RUN }, { host: runnerDir(), inside: INSIDE_RUNNER }, ...interpreterMounts(python)],
      argv: (inside) => [python, "-I", "-S", "-B", path.join(inside(runnerDir()), "verifier_runner.py"), inside(jobsFile)],
      env: { PATH: "/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8" },
      cwd: folder,
      memoryBytes: options.memoryBytes ?? DEFAULT_VERIFIER_MEMORY_BYTES,
      allowUnsandboxed: options.allowUnsandboxed,
    }));
  } catch (error) {
    return [{ ok: false, error: (error as Error).message, durationMs: 0 }];
  }
  return collectResults(child, jobs, timeoutMs);
}

function collectResults(child: ChildProcess, jobs: StagedJob[], timeoutMs: number): Promise<RawRun[]> {
  return new Promise((resolve) => {
    const results: RawRun[] = [];
    let pending = "";
    let stderr = "";
    let killedForTime = false;
    let jobStarted = performance.now();
    let timer: NodeJS.Timeout;
    const armTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        killedForTime = true;
        child.kill("SIGKILL");
      }, timeoutMs + PROCESS_GRACE_MS);
    };
    armTimer();
    child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        results.push(parseRunnerLine(pending.slice(0, newline)));
        pending = pending.slice(newline + 1);
        jobStarted = performance.now();
        armTimer();
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
    });
    const finish = (how: string) => {
      clearTimeout(timer);
      if (results.length < jobs.length) {
        const durationMs = Math.round(performance.now() - jobStarted);
        const error = killedForTime
          ? `timed out after ${timeoutMs / 1000} s (the verifier runner did not answer and was killed)`
          : `the verifier process ${how}${stderr.trim() ? `\n--- stderr (tail) ---\n${stderr.trim()}` : ""}`;
        results.push({ ok: false, error, durationMs });
      }
      resolve(results);
    };
    child.once("error", (error) => finish(`could not start: ${error.message}`));
    child.once("close", (code, signal) => finish(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  });
}

function parseRunnerLine(line: string): RawRun {
  const parsed = JSON.parse(line) as { ok: boolean; output?: unknown; py_type?: string; error?: string; duration_ms: number };
  const durationMs = Math.round(parsed.duration_ms);
  return parsed.ok
    ? { ok: true, output: parsed.output, pyType: parsed.py_type ?? "object", durationMs }
    : { ok: false, error: parsed.error ?? "unknown error", durationMs };
}

function withShapeCheck(mode: VerifierMode, run: RawRun): VerifierRun {
  if (!run.ok) return run;
  const shapeError = outputShapeError(mode, run.output, run.pyType);
  return shapeError ? { ok: false, error: shapeError, durationMs: run.durationMs } : { ok: true, output: run.output, durationMs: run.durationMs };
}

