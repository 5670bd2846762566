/**
 * A running AWM environment: its generated FastAPI code served by the launcher inside a sandbox,
 * over a Unix socket, on a working copy of the seed database.
 *
 * The instance's folder belongs to the studio alone and is never visible to the code: env.py,
 * api.sock (bound here, handed to the launcher as fd 3), stderr.log (the process's output, capped),
 * work/. The code runs in /instance, a private tmpfs of `diskBytes` holding db/state.db
 * (unsandboxed, /instance is work/), with its env.py there and the seed under /opt/awm-env, both
 * read-only.
 * The studio reads the state only as bytes the launcher sends (`snapshot`), so no link the code
 * plants can make it read or write its own files. The folder is removed when the process ends.
 */
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TreeUsage } from "./cgroups.ts";
import { takeTraceback, type EnvironmentTraceback } from "./environment-traceback.ts";
import { defaultPython, interpreterMounts, runtimePythonDir } from "./python-runtime.ts";
import { DEFAULT_FILE_BYTES, DEFAULT_MAX_PROCESSES, DEFAULT_MEMORY_BYTES, DEFAULT_TMP_BYTES, spawnIsolated, type IsolatedEnd, type IsolatedProcess } from "./sandbox.ts";
import { buildRequest, buildToolCatalog, type OpenApiDocument, type Tool } from "./tool-catalog.ts";
import { udsDownload } from "./uds-download.ts";
import { DEFAULT_CALL_TIMEOUT_MS, UdsTimeoutError, udsRequest, type UdsResponse } from "./uds-http.ts";

export interface InstanceLimits {
  /** Memory of the whole process tree (and of each process). */
  memoryBytes: number;
  /** Processes and threads of the tree. */
  maxProcesses: number;
  /** Size of /instance (the working database and whatever else the code writes there). */
  diskBytes: number;
  /** Size of the private /tmp. */
  tmpBytes: number;
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
  /** Parsed JSON when the answer is JSON, else its text; without the traceback of a 5xx. */
  body: unknown;
  /** On a 5xx, the environment's traceback for this call (the launcher adds it to the answer). */
  traceback?: EnvironmentTraceback;
  durationMs: number;
}

export const DEFAULT_LIMITS: InstanceLimits = {
  memoryBytes: DEFAULT_MEMORY_BYTES,
  maxProcesses: DEFAULT_MAX_PROCESSES,
  diskBytes: DEFAULT_FILE_BYTES,
  tmpBytes: DEFAULT_TMP_BYTES,
  callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
  startTimeoutMs: 20_000,
};

/** Unix socket paths are limited to 107 bytes by the kernel. */
const MAX_SOCKET_PATH = 107;
const TAIL_BYTES = 16 * 1024;
/** stderr.log stops growing here (the tail in memory stays current). */
const LOG_CAP_BYTES = 1024 * 1024;
const RETRY_INTERVAL_MS = 10;
const SQLITE_HEADER = "SQLite format 3\0";
const INSIDE_INSTANCE = "/instance";
const INSIDE_RUNTIME = "/opt/awm-runtime";
const INSIDE_ENVIRONMENT = "/opt/awm-env";

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

/** Live process trees, killed when this Node process exits, whatever the reason for the exit. */
const liveProcesses = new Set<IsolatedProcess>();
process.once("exit", () => {
  for (const live of liveProcesses) live.kill();
});

export async function startInstance(options: StartInstanceOptions): Promise<EnvironmentInstance> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const dir = path.resolve(options.dir);
  const files = instanceFiles(dir, path.resolve(options.seedDbFile));
  const python = options.python ?? defaultPython();
  if (!fs.existsSync(python)) throw new InstanceStartError(`Python interpreter ${python} not found (set AWM_STUDIO_PYTHON)`, "");
  if (Buffer.byteLength(bindPath(files.socket)) > MAX_SOCKET_PATH) {
    throw new InstanceStartError(`instance folder path too long for a Unix socket (${bindPath(files.socket)} is over ${MAX_SOCKET_PATH} bytes)`, "");
  }
  if (!fs.statSync(files.seedDb, { throwIfNoEntry: false })?.isFile()) throw new InstanceStartError(`seed database ${files.seedDb} is not a file`, "");
  claimFolder(dir);
  let server: { fd: number; close(): void } | undefined;
  let isolated: IsolatedProcess;
  try {
    fs.mkdirSync(files.work);
    fs.writeFileSync(files.code, options.code);
    server = listenOn(files.socket);
    isolated = spawnIsolated({
      mounts: [
        { host: files.work, inside: INSIDE_INSTANCE, writable: true, tmpfsBytes: limits.diskBytes },
        { host: files.code, inside: `${INSIDE_INSTANCE}/env.py` },
        { host: files.seedDb, inside: `${INSIDE_ENVIRONMENT}/seed.db` },
        { host: runtimePythonDir(), inside: INSIDE_RUNTIME },
        ...interpreterMounts(python),
      ],
      argv: (inside) => [
        python,
        "-B",
        "-s",
        path.join(inside(runtimePythonDir()), "awm_launcher.py"),
        ...["--code", inside(files.code), "--seed", inside(files.seedDb), "--workdir", inside(files.work), "--socket-fd", "3"],
      ],
      env: { PATH: "/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8", PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" },
      cwd: files.work,
      memoryBytes: limits.memoryBytes,
      maxProcesses: limits.maxProcesses,
      tmpBytes: limits.tmpBytes,
      fileBytes: limits.diskBytes,
      passFds: [server.fd],
      allowUnsandboxed: options.allowUnsandboxed,
    });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    // The launcher holds the socket now; the studio's copy goes (its bind name with it).
    server?.close();
  }
  return EnvironmentInstance.serving(dir, files, isolated, limits);
}

type InstanceFiles = ReturnType<typeof instanceFiles>;

function instanceFiles(dir: string, seedDb: string) {
  return {
    code: path.join(dir, "env.py"),
    seedDb,
    socket: path.join(dir, "api.sock"),
    log: path.join(dir, "stderr.log"),
    work: path.join(dir, "work"),
  };
}

/** The folder must be new (or empty): the instance owns it and removes it. */
function claimFolder(dir: string): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    fs.mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory() || fs.readdirSync(dir).length > 0) throw new InstanceStartError(`instance folder ${dir} already exists and is not an empty folder`, "");
  }
}

/**
 * A listening socket at `socket`, open for handing to a child. Node removes the path it bound on
 * close, so the socket is bound under a second name and linked to `socket`, which survives.
 */
function listenOn(socket: string): { fd: number; close(): void } {
  const bound = bindPath(socket);
  const server = net.createServer();
  server.on("error", () => undefined); // a failed bind leaves no handle, reported just below
  server.listen(bound);
  const fd = (server as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== "number" || fd < 0) {
    server.close();
    throw new InstanceStartError(`cannot listen on ${bound}`, "");
  }
  fs.linkSync(bound, socket);
  return { fd, close: () => server.close() };
}

function bindPath(socket: string): string {
  return `${socket}.bind`;
}

export class EnvironmentInstance {
  status: InstanceStatus = "starting";
  exitReason?: string;
  /** What the tree's cgroup counted, once the process has ended (when it had one). */
  usage?: TreeUsage;
  private tail = "";
  private killReason?: string;
  /** Resolves once the process tree is gone and the folder removed. */
  readonly exited: Promise<void>;
  private agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private openapiDocument?: OpenApiDocument;
  private catalog?: Tool[];

  /** @internal used by startInstance: resolves once the spawned launcher answers on its socket. */
  static async serving(dir: string, files: InstanceFiles, isolated: IsolatedProcess, limits: InstanceLimits): Promise<EnvironmentInstance> {
    const instance = new EnvironmentInstance(dir, files, isolated, limits);
    await instance.waitUntilServing();
    return instance;
  }

  readonly sandboxed: boolean;

  private constructor(
    readonly dir: string,
    readonly files: InstanceFiles,
    private readonly isolated: IsolatedProcess,
    readonly limits: InstanceLimits,
  ) {
    this.sandboxed = isolated.sandboxed;
    liveProcesses.add(isolated);
    const log = fs.createWriteStream(files.log);
    log.on("error", () => undefined);
    let logged = 0;
    const record = (chunk: Buffer) => {
      if (logged < LOG_CAP_BYTES) log.write(chunk.subarray(0, LOG_CAP_BYTES - logged));
      logged += chunk.length;
      this.tail = (this.tail + chunk.toString("utf8")).slice(-TAIL_BYTES);
    };
    isolated.child.stdout?.on("data", record);
    isolated.child.stderr?.on("data", record);
    this.exited = isolated.ended.then(async (end) => {
      liveProcesses.delete(isolated);
      this.agent.destroy();
      this.usage = end.usage;
      if (this.status !== "stopped") {
        this.status = "crashed";
        this.exitReason = this.killReason ?? this.describeExit(end);
      }
      await new Promise((resolve) => log.end(resolve));
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch (error) {
        process.emitWarning(`could not remove the folder of an ended instance: ${(error as Error).message}`);
      }
    });
  }

  get pid(): number | undefined {
    return this.isolated.child.pid;
  }

  /** The last lines the process wrote to stdout/stderr. */
  stderrTail(lines = 40): string {
    return this.tail.trimEnd().split("\n").slice(-lines).join("\n");
  }

  /**
   * Asks GET /openapi.json until it answers, the process dies, or the start timeout passes. The
   * socket listens from the start, so the first ask waits in its backlog until the server accepts.
   */
  private async waitUntilServing(): Promise<void> {
    const deadline = Date.now() + this.limits.startTimeoutMs;
    let died = false;
    void this.exited.then(() => (died = true));
    while (!died) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        await this.kill(`did not serve within ${this.limits.startTimeoutMs} ms`);
        break;
      }
      const answer = await this.request("GET", "/openapi.json", undefined, remaining).catch(() => undefined);
      if (answer?.status === 200) {
        this.openapiDocument = JSON.parse(answer.body) as OpenApiDocument;
        this.status = "running";
        return;
      }
      if (!died) await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
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
    await this.checkMemory(`tool call ${name}`);
    const body = parseBody(answer);
    return { ok: answer.status >= 200 && answer.status < 300, status: answer.status, ...(answer.status >= 500 ? takeTraceback(body) : { body }), durationMs };
  }

  /** Restores the seed database in place (SQLite backup inside the running server); returns the time taken. */
  async reset(): Promise<{ durationMs: number }> {
    const started = performance.now();
    const answer = await this.request("POST", "/__awm/reset", undefined, this.limits.callTimeoutMs, "reset");
    await this.checkMemory("reset");
    if (answer.status !== 200) throw new Error(`reset of ${this.dir} failed with HTTP ${answer.status}: ${answer.body}`);
    return { durationMs: performance.now() - started };
  }

  /**
   * A consistent copy of the working database (SQLite online backup by the launcher), sent over the
   * socket and written to `toFile`, which must lie where the environment cannot write.
   */
  async snapshot(toFile: string): Promise<string> {
    if (this.status !== "running") throw new InstanceUnavailableError(`snapshot: instance is ${this.status} (${this.exitReason ?? "not serving yet"})`);
    const download = { socketPath: this.files.socket, url: "/__awm/snapshot", toFile, maxBytes: this.limits.diskBytes, timeoutMs: this.limits.callTimeoutMs, agent: this.agent };
    await udsDownload(download).catch(async (error: unknown) => {
      await this.checkMemory("snapshot");
      throw new Error(`snapshot of the instance's database failed: ${(error as Error).message}`, { cause: error });
    });
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const fd = fs.openSync(toFile, "r");
    const read = fs.readSync(fd, header, 0, header.length, 0);
    fs.closeSync(fd);
    if (read > 0 && header.toString("latin1") !== SQLITE_HEADER) {
      fs.rmSync(toFile, { force: true });
      throw new Error(`snapshot of ${this.dir}: the environment sent something that is not an SQLite database`);
    }
    return toFile;
  }

  /** Host pid of the Python server process (under bwrap it is not the spawned process). */
  pythonPid(): number | undefined {
    const { child } = this.isolated;
    return child.pid === undefined || child.exitCode !== null ? undefined : findPythonProcess(child.pid);
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
    this.isolated.kill();
    await this.exited;
  }

  private async kill(reason: string): Promise<void> {
    this.killReason ??= reason;
    this.isolated.kill();
    await this.exited;
  }

  /**
   * A kernel OOM kill anywhere in the tree ends the instance, like one address space running out:
   * which process died is the kernel's choice, so the state left is not one to keep serving.
   */
  private async checkMemory(purpose: string): Promise<void> {
    const oomKills = this.isolated.cgroup?.usage().oomKills ?? 0;
    if (oomKills === 0 || this.status !== "running") return;
    await this.kill(this.outOfMemory(oomKills));
    throw new InstanceUnavailableError(`${purpose} failed: instance crashed (${this.exitReason})`);
  }

  private outOfMemory(oomKills: number): string {
    const limit = Math.round(this.limits.memoryBytes / 2 ** 20);
    return `out of memory: the process tree reached its ${limit} MiB limit and the kernel killed ${oomKills} of its processes`;
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
      const answer = await udsRequest(this.files.socket, { method, url, headers: payload?.headers, body: payload?.body, timeoutMs, agent: this.agent });
      if (answer.status >= 500) this.renewConnection();
      return answer;
    } catch (error) {
      await this.checkMemory(purpose);
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

  /**
   * uvicorn closes the connection after an exception that reaches it without a `Connection: close`
   * (the launcher answers the code's own exceptions, but not one raised mid-answer or by a handler
   * the environment installed), so the pooled socket would be dead for the next request (a snapshot
   * right after it fails with ECONNRESET): after any 5xx the next request gets a new connection.
   */
  private renewConnection(): void {
    this.agent.destroy();
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  private describeExit(end: IsolatedEnd): string {
    if (end.usage && end.usage.oomKills > 0) return this.outOfMemory(end.usage.oomKills);
    const reason = describeEnd(end, this.sandboxed);
    if (/MemoryError/.test(this.tail)) return `out of memory (limit ${Math.round(this.limits.memoryBytes / 2 ** 20)} MiB), ${reason}`;
    return reason;
  }
}

/** bwrap reports a command killed by signal N as exit code 128 + N. */
function describeEnd(end: IsolatedEnd, sandboxed: boolean): string {
  if (end.error) return `could not start: ${end.error.message}`;
  if (end.signal) return `killed by ${end.signal}`;
  if (sandboxed && end.code !== null && end.code > 128) return `killed by ${signalName(end.code - 128)} (exit code ${end.code})`;
  return `exited with code ${end.code}`;
}

function signalName(signal: number): string {
  return Object.entries(os.constants.signals).find(([, number]) => number === signal)?.[0] ?? `signal ${signal}`;
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
