/**
 * A running AWM environment: its generated FastAPI code served by the launcher inside a sandbox,
 * over a Unix socket in its own folder, on a working copy of the seed database.
 *
 * Folder layout: env.py, db/seed.db, db/state.db, api.sock, stderr.log (the process's stdout and
 * stderr). Inside the sandbox the folder is /instance and the shipped Python files /opt/awm-runtime.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import { defaultPython, interpreterMounts, runtimePythonDir } from "./python-runtime.ts";
import { DEFAULT_MEMORY_BYTES, spawnIsolated } from "./sandbox.ts";
import { buildRequest, buildToolCatalog, type OpenApiDocument, type Tool } from "./tool-catalog.ts";
import { DEFAULT_CALL_TIMEOUT_MS, UdsTimeoutError, udsRequest, type UdsResponse } from "./uds-http.ts";

export interface InstanceLimits {
  memoryBytes: number;
  callTimeoutMs: number;
  startTimeoutMs: number;
}

export interface StartInstanceOptions {
  code: string;
  seedDbFile: string;
  dir: string;
  python?: string;
  limits?: Partial<InstanceLimits>;
  allowUnsandboxed?: boolean;
}

export type InstanceStatus = "starting" | "running" | "stopped" | "crashed";

export interface ToolCallResult {
  ok: boolean;
  status: number;
  /** Parsed JSON when the answer is JSON, else its text. */
  body: unknown;
  durationMs: number;
}

export const DEFAULT_LIMITS: InstanceLimits = {
  memoryBytes: DEFAULT_MEMORY_BYTES,
  callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
  startTimeoutMs: 20_000,
};

/** Unix socket paths are limited to 107 bytes by the kernel. */
const MAX_SOCKET_PATH = 107;
const TAIL_BYTES = 16 * 1024;
const POLL_INTERVAL_MS = 10;
const INSIDE_INSTANCE = "/instance";
const INSIDE_RUNTIME = "/opt/awm-runtime";

export class InstanceStartError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
  ) {
    super(stderrTail ? `${message}\n--- stderr (tail) ---\n${stderrTail}` : message);
    this.name = "InstanceStartError";
  }
}

export class InstanceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InstanceUnavailableError";
  }
}

/** Live children, killed when this Node process exits, whatever the reason for the exit. */
const liveChildren = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of liveChildren) child.kill("SIGKILL");
});

export async function startInstance(options: StartInstanceOptions): Promise<EnvironmentInstance> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const dir = path.resolve(options.dir);
  const files = instanceFiles(dir);
  const python = options.python ?? defaultPython();
  if (!fs.existsSync(python)) throw new InstanceStartError(`Python interpreter ${python} not found (set AWM_STUDIO_PYTHON)`, "");
  if (Buffer.byteLength(files.socket) > MAX_SOCKET_PATH) {
    throw new InstanceStartError(`instance folder path too long for a Unix socket (${files.socket} is over ${MAX_SOCKET_PATH} bytes)`, "");
  }
  fs.mkdirSync(path.dirname(files.stateDb), { recursive: true });
  fs.writeFileSync(files.code, options.code);
  fs.copyFileSync(options.seedDbFile, files.seedDb);
  fs.copyFileSync(options.seedDbFile, files.stateDb);
  fs.rmSync(files.socket, { force: true });

  const { child, sandboxed } = spawnIsolated({
    mounts: [
      { host: dir, inside: INSIDE_INSTANCE, writable: true },
      { host: runtimePythonDir(), inside: INSIDE_RUNTIME },
      ...interpreterMounts(python),
    ],
    argv: (inside) => [
      python,
      "-B",
      "-s",
      path.join(inside(runtimePythonDir()), "awm_launcher.py"),
      ...["--code", inside(files.code), "--db", inside(files.stateDb), "--seed", inside(files.seedDb), "--socket", inside(files.socket)],
    ],
    env: { PATH: "/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8", PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" },
    cwd: dir,
    memoryBytes: limits.memoryBytes,
    allowUnsandboxed: options.allowUnsandboxed,
  });
  return EnvironmentInstance.serving(dir, files, child, sandboxed, limits);
}

type InstanceFiles = ReturnType<typeof instanceFiles>;

function instanceFiles(dir: string) {
  return {
    code: path.join(dir, "env.py"),
    seedDb: path.join(dir, "db", "seed.db"),
    stateDb: path.join(dir, "db", "state.db"),
    socket: path.join(dir, "api.sock"),
    log: path.join(dir, "stderr.log"),
  };
}

export class EnvironmentInstance {
  status: InstanceStatus = "starting";
  exitReason?: string;
  private tail = "";
  private killReason?: string;
  private readonly exited: Promise<void>;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private openapiDocument?: OpenApiDocument;
  private catalog?: Tool[];

  /** @internal used by startInstance: resolves once the spawned launcher answers on its socket. */
  static async serving(
    dir: string,
    files: InstanceFiles,
    child: ChildProcess,
    sandboxed: boolean,
    limits: InstanceLimits,
  ): Promise<EnvironmentInstance> {
    const instance = new EnvironmentInstance(dir, files, child, sandboxed, limits);
    await instance.waitUntilServing();
    return instance;
  }

  private constructor(
    readonly dir: string,
    readonly files: InstanceFiles,
    private readonly child: ChildProcess,
    readonly sandboxed: boolean,
    readonly limits: InstanceLimits,
  ) {
    liveChildren.add(child);
    const log = fs.createWriteStream(files.log);
    log.on("error", () => undefined);
    const record = (chunk: Buffer) => {
      log.write(chunk);
      this.tail = (this.tail + chunk.toString("utf8")).slice(-TAIL_BYTES);
    };
    child.stdout?.on("data", record);
    child.stderr?.on("data", record);
    this.exited = new Promise((resolve) => {
      const finish = (reason: string) => {
        liveChildren.delete(child);
        this.agent.destroy();
        log.end();
        if (this.status !== "stopped") {
          this.status = "crashed";
          this.exitReason = this.killReason ?? this.describeExit(reason);
        }
        resolve();
      };
      child.once("error", (error) => finish(`could not start: ${error.message}`));
      child.once("close", (code, signal) => finish(signal ? `killed by ${signal}` : `exited with code ${code}`));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines the process wrote to stdout/stderr. */
  stderrTail(lines = 40): string {
    return this.tail.trimEnd().split("\n").slice(-lines).join("\n");
  }

  /** Polls the socket until GET /openapi.json answers, the process dies, or the start timeout passes. */
  private async waitUntilServing(): Promise<void> {
    const deadline = Date.now() + this.limits.startTimeoutMs;
    let died = false;
    void this.exited.then(() => (died = true));
    while (!died) {
      if (Date.now() > deadline) {
        await this.kill(`did not serve within ${this.limits.startTimeoutMs} ms`);
        break;
      }
      if (fs.existsSync(this.files.socket)) {
        const answer = await this.request("GET", "/openapi.json", undefined, 2_000).catch(() => undefined);
        if (answer?.status === 200) {
          this.openapiDocument = JSON.parse(answer.body) as OpenApiDocument;
          this.status = "running";
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
    await this.exited;
    throw new InstanceStartError(`environment in ${this.dir} failed to start: ${this.exitReason}`, this.stderrTail());
  }

  openapi(): OpenApiDocument {
    return this.requireOpenapi();
  }

  tools(): Tool[] {
    this.catalog ??= buildToolCatalog(this.requireOpenapi());
    return this.catalog;
  }

  async callTool(name: string, args: Record<string, unknown> = {}): Promise<ToolCallResult> {
    const tool = this.tools().find((candidate) => candidate.name === name);
    if (!tool) throw new Error(`unknown tool ${name}; this environment has: ${this.tools().map((t) => t.name).join(", ")}`);
    const request = buildRequest(tool, args);
    const started = performance.now();
    const answer = await this.request(request.method, request.url, request, this.limits.callTimeoutMs, `tool call ${name}`);
    const durationMs = performance.now() - started;
    return { ok: answer.status >= 200 && answer.status < 300, status: answer.status, body: parseBody(answer), durationMs };
  }

  /** Restores the seed database in place (SQLite backup inside the running server); returns the time taken. */
  async reset(): Promise<{ durationMs: number }> {
    const started = performance.now();
    const answer = await this.request("POST", "/__awm/reset", undefined, this.limits.callTimeoutMs, "reset");
    if (answer.status !== 200) throw new Error(`reset of ${this.dir} failed with HTTP ${answer.status}: ${answer.body}`);
    return { durationMs: performance.now() - started };
  }

  /** A consistent copy of the working database (SQLite online backup), written to `toFile`. */
  async snapshot(toFile: string): Promise<string> {
    const db = new Database(this.files.stateDb, { readonly: true, fileMustExist: true });
    try {
      await db.backup(toFile);
    } finally {
      db.close();
    }
    return toFile;
  }

  /** Host pid of the Python server process (under bwrap it is not the spawned process). */
  pythonPid(): number | undefined {
    return this.child.pid === undefined || this.child.exitCode !== null ? undefined : findPythonProcess(this.child.pid);
  }

  /** Resident memory of the Python server process (VmRSS), in bytes. */
  residentMemoryBytes(): number | undefined {
    const pid = this.pythonPid();
    if (!pid) return undefined;
    const match = /VmRSS:\s+(\d+) kB/.exec(readProcFile(`/proc/${pid}/status`));
    return match ? Number(match[1]) * 1024 : undefined;
  }

  async stop(): Promise<void> {
    if (this.status === "stopped" || this.status === "crashed") return;
    this.status = "stopped";
    this.exitReason = "stopped";
    this.child.kill("SIGKILL");
    await this.exited;
    fs.rmSync(this.files.socket, { force: true });
  }

  private async kill(reason: string): Promise<void> {
    this.killReason ??= reason;
    this.child.kill("SIGKILL");
    await this.exited;
  }

  private requireOpenapi(): OpenApiDocument {
    if (!this.openapiDocument) throw new InstanceUnavailableError(`instance in ${this.dir} is ${this.status}`);
    return this.openapiDocument;
  }

  private async request(
    method: string,
    url: string,
    payload: { headers: Record<string, string>; body?: string } | undefined,
    timeoutMs: number,
    purpose = `${method} ${url}`,
  ): Promise<UdsResponse> {
    if (this.status === "stopped" || this.status === "crashed") {
      throw new InstanceUnavailableError(`${purpose}: instance is ${this.status} (${this.exitReason})`);
    }
    try {
      return await udsRequest(this.files.socket, { method, url, headers: payload?.headers, body: payload?.body, timeoutMs, agent: this.agent });
    } catch (error) {
      if (error instanceof UdsTimeoutError && this.status === "running") {
        // The server runs handlers on one event loop: after a hung call it is unusable, so it goes.
        await this.kill(`${purpose} exceeded ${timeoutMs} ms`);
        throw new InstanceUnavailableError(`${purpose} exceeded ${timeoutMs} ms; the instance was stopped`);
      }
      if (this.status !== "running") throw error;
      // A connection that breaks mid-call usually means the process died: report why.
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 200))]);
      const status = this.status as InstanceStatus;
      if (status === "crashed") throw new InstanceUnavailableError(`${purpose} failed: instance crashed (${this.exitReason})`);
      throw error;
    }
  }

  private describeExit(reason: string): string {
    if (/MemoryError/.test(this.tail)) return `out of memory (limit ${Math.round(this.limits.memoryBytes / 2 ** 20)} MiB), ${reason}`;
    return reason;
  }
}

function parseBody(answer: UdsResponse): unknown {
  if (!String(answer.headers["content-type"] ?? "").includes("json")) return answer.body;
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    return answer.body;
  }
}

function readProcFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** The Python process under the spawned one (bwrap forks twice; prlimit execs into Python). */
function findPythonProcess(rootPid: number): number | undefined {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may contain spaces.
    const stat = readProcFile(`/proc/${entry}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[1]) parentOf.set(Number(entry), Number(fields[1]));
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
