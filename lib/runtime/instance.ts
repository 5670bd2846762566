/**
 * A running AWM environment episode: its generated FastAPI code, served over a Unix socket on a
 * database of its own, in a process forked by the environment's host (environment-host.ts) from a
 * fresh import of the code. Episodes of one code and seed share a host; each has its own process,
 * database, /tmp, namespaces and cgroup, and a reset replaces its process with a new fork, so it
 * begins again as a fresh process would, in memory as in its database.
 *
 * The instance's folder (`dir`) belongs to the studio alone and is never visible to the code: the
 * snapshots of the database go there. The studio reads the state only as bytes the episode sends
 * (`snapshot`), so no link the code plants can make it read or write its own files. The folder is
 * removed when the episode ends.
 */
import fs from "node:fs";
import { messageOf } from "../errors.ts";
import http from "node:http";
import path from "node:path";
import type { TreeUsage } from "./cgroups.ts";
import { InstanceStartError, type EnvironmentHost, type EpisodeProcess, type StartHostOptions } from "./environment-host.ts";
import { takeTraceback, type EnvironmentTraceback } from "./environment-traceback.ts";
import { episodeEnded, spawnEpisode } from "./host-pool.ts";
import { residentBytes } from "./host-processes.ts";
import { DEFAULT_FILE_BYTES, DEFAULT_MAX_PROCESSES, DEFAULT_MEMORY_BYTES, DEFAULT_TMP_BYTES } from "./sandbox.ts";
import { buildRequest, buildToolCatalog, type OpenApiDocument, type Tool } from "./tool-catalog.ts";
import { udsDownload } from "./uds-download.ts";
import { DEFAULT_CALL_TIMEOUT_MS, UdsTimeoutError, udsRequest, type UdsResponse } from "./uds-http.ts";

export interface InstanceLimits {
  /** Memory of the episode's whole process tree (and of each process). */
  memoryBytes: number;
  /** Processes and threads of the episode. */
  maxProcesses: number;
  /** Size of the episode's folder (its working database and whatever else the code writes there). */
  diskBytes: number;
  /** Size of the private /tmp. */
  tmpBytes: number;
  callTimeoutMs: number;
  startTimeoutMs: number;
}

/** A copy of an episode's database and the version it had (see awm_host.py's EpisodeDatabase). */
export interface Snapshot {
  file: string;
  version?: string;
}

const VERSION_HEADER = "x-awm-db-version";
/** A call's capture (python/captures.py): the name the studio gives it, and the version the episode answers. */
const CAPTURE_HEADER = "x-awm-capture";
const CAPTURE_SINCE_HEADER = "x-awm-capture-since";
const CAPTURED_HEADER = "x-awm-captured";
const CAPTURE_HEADERS = [CAPTURE_HEADER, CAPTURE_SINCE_HEADER];
const CAPTURE_NAME = /^[0-9a-f]{1,32}$/;
const VERSION_PATTERN = /^[0-9a-f]{16}\.\d{1,12}\.\d{1,20}$/;

/** A call's capture: its name, and the version of the database the caller holds (nothing is copied while it is still at it). */
export interface CaptureRequest {
  name: string;
  since: string | undefined;
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
  /** On a 5xx, the environment's traceback for this call (the episode adds it to the answer). */
  traceback?: EnvironmentTraceback;
  durationMs: number;
  /** The version of the database copy the call was asked to capture, when the episode took one. */
  captured?: string;
}

export const DEFAULT_LIMITS: InstanceLimits = {
  memoryBytes: DEFAULT_MEMORY_BYTES,
  maxProcesses: DEFAULT_MAX_PROCESSES,
  diskBytes: DEFAULT_FILE_BYTES,
  tmpBytes: DEFAULT_TMP_BYTES,
  callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
  startTimeoutMs: 20_000,
};

const SQLITE_HEADER = "SQLite format 3\0";

export { InstanceStartError };

export class InstanceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InstanceUnavailableError";
  }
}

export async function startInstance(options: StartInstanceOptions): Promise<EnvironmentInstance> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const dir = path.resolve(options.dir);
  const hostOptions: StartHostOptions = {
    code: options.code,
    seedDbFile: path.resolve(options.seedDbFile),
    ...(options.python !== undefined && { python: options.python }),
    limits: { memoryBytes: limits.memoryBytes, maxProcesses: limits.maxProcesses, diskBytes: limits.diskBytes, tmpBytes: limits.tmpBytes, startTimeoutMs: limits.startTimeoutMs },
    ...(options.allowUnsandboxed !== undefined && { allowUnsandboxed: options.allowUnsandboxed }),
  };
  claimFolder(dir);
  try {
    const { host, episode } = await spawnEpisode(hostOptions);
    const instance = new EnvironmentInstance(dir, host, hostOptions, episode, limits);
    await instance.waitUntilServing();
    return instance;
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
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

/** The host's OpenAPI document and catalog: the same code gives the same ones to every episode. */
const documents = new WeakMap<EnvironmentHost, OpenApiDocument>();

export class EnvironmentInstance {
  status: InstanceStatus = "starting";
  exitReason?: string;
  /** What the episode's cgroup counted, once it has ended (when it had one). */
  usage?: TreeUsage;
  readonly sandboxed: boolean;
  /** Resolves once the episode is gone and the folder removed (a reset does not end it). */
  readonly exited: Promise<void>;
  private markExited!: () => void;
  private agent = episodeConnection();
  /** Snapshots and captures go on a connection of their own: a call never queues behind a copy's download. */
  private snapshotAgent = episodeConnection();
  private catalog?: Tool[];
  private killReason?: string;
  /** Processes a reset replaced: their end is not the instance's. */
  private readonly replaced = new WeakSet<EpisodeProcess>();

  /** @internal made by startInstance */
  constructor(
    readonly dir: string,
    private readonly host: EnvironmentHost,
    private readonly hostOptions: StartHostOptions,
    private episode: EpisodeProcess,
    readonly limits: InstanceLimits,
  ) {
    this.sandboxed = host.sandboxed;
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    this.watch(episode);
  }

  /** The socket the current episode process serves on. */
  get files(): { socket: string } {
    return { socket: this.episode.socket };
  }

  get pid(): number | undefined {
    return this.episode.pid;
  }

  /** The last lines the episode wrote to stdout/stderr (the host's own when it failed before). */
  stderrTail(lines = 40): string {
    const tail = this.episode.tail().trimEnd() || this.host.stderrTail(lines);
    return tail.split("\n").slice(-lines).join("\n");
  }

  /** The episode serves already (its host waited for it): the instance needs the tools' document. */
  async waitUntilServing(): Promise<void> {
    try {
      await this.loadOpenapi();
    } catch (error) {
      await this.kill(`could not read its OpenAPI document: ${messageOf(error)}`);
      throw error instanceof InstanceStartError ? error : new InstanceStartError(`environment in ${this.dir} failed to start: ${this.exitReason}`, this.stderrTail());
    }
    this.status = "running";
  }

  private async loadOpenapi(): Promise<void> {
    if (documents.has(this.host)) return;
    const answer = await this.request("GET", "/openapi.json", undefined, this.limits.startTimeoutMs, "GET /openapi.json");
    if (answer.status !== 200) throw new InstanceStartError(`environment in ${this.dir} answered GET /openapi.json with HTTP ${answer.status}`, answer.body.slice(0, 2000));
    documents.set(this.host, JSON.parse(answer.body) as OpenApiDocument);
  }

  openapi(): OpenApiDocument {
    return this.requireOpenapi();
  }

  tools(): Tool[] {
    this.catalog ??= buildToolCatalog(this.requireOpenapi());
    return this.catalog;
  }

  /**
   * Calls a tool. With `capture` (a name, lowercase hex), the episode copies its database as the call
   * left it before it answers, for `snapshotCapture`, unless it is still at `since` (the version the
   * caller holds); `captured` is then the database's version.
   */
  async callTool(name: string, args: Record<string, unknown> = {}, { capture }: { capture?: CaptureRequest } = {}): Promise<ToolCallResult> {
    const tool = this.tools().find((candidate) => candidate.name === name);
    if (!tool) throw new Error(`unknown tool ${name}; this environment has: ${this.tools().map((t) => t.name).join(", ")}`);
    const request = buildRequest(tool, args);
    if (capture !== undefined) {
      if (!CAPTURE_NAME.test(capture.name)) throw new Error(`capture name ${JSON.stringify(capture.name)} is not 1 to 32 lowercase hex digits`);
      // The tool's own arguments never name the capture: headers of theirs by these names go.
      const own = Object.entries(request.headers).filter(([key]) => !CAPTURE_HEADERS.includes(key.toLowerCase()));
      request.headers = { ...Object.fromEntries(own), [CAPTURE_HEADER]: capture.name, ...(capture.since !== undefined && { [CAPTURE_SINCE_HEADER]: capture.since }) };
    }
    const started = performance.now();
    const answer = await this.request(request.method, request.url, request, this.limits.callTimeoutMs, `tool call ${name}`);
    const durationMs = performance.now() - started;
    await this.checkMemory(`tool call ${name}`);
    const body = parseBody(answer);
    const captured = capture === undefined ? undefined : databaseVersion(answer.headers, CAPTURED_HEADER);
    return { ok: answer.status >= 200 && answer.status < 300, status: answer.status, ...(answer.status >= 500 ? takeTraceback(body) : { body }), durationMs, ...(captured && { captured }) };
  }

  /**
   * Begins the episode again as a fresh process would: its process is replaced by a new fork of
   * the imported code (module state as at import) on a new copy of the database. Returns the time taken.
   */
  async reset(): Promise<{ durationMs: number }> {
    if (this.status !== "running") throw new InstanceUnavailableError(`reset: instance is ${this.status} (${this.exitReason})`);
    const started = performance.now();
    const old = this.episode;
    this.renewConnection();
    this.snapshotAgent.destroy();
    this.snapshotAgent = episodeConnection();
    this.replaced.add(old);
    void this.host.kill(old.slot, "replaced by a reset");
    try {
      this.episode = await this.host.take();
    } catch (error) {
      this.end("crashed", `reset failed: ${messageOf(error)}`);
      throw new InstanceUnavailableError(`reset of ${this.dir} failed: ${messageOf(error)}`);
    }
    this.watch(this.episode);
    return { durationMs: performance.now() - started };
  }

  /**
   * A consistent copy of the working database (SQLite online backup by the episode), sent over the
   * socket and written to `toFile`, which must lie where the environment cannot write.
   */
  async snapshot(toFile: string): Promise<string> {
    return (await this.download(toFile, undefined)).file;
  }

  /**
   * As `snapshot`, with the version the episode gives the copy; undefined, and nothing written, when
   * `since` (the version of a copy the caller holds) is still the database's: nothing was committed since.
   */
  async snapshotSince(toFile: string, since: string | undefined): Promise<Snapshot | undefined> {
    const { file, version, unchanged } = await this.download(toFile, since);
    return unchanged ? undefined : { file, ...(version !== undefined && { version }) };
  }

  /**
   * The copy a call captured (callTool's `capture`), as `snapshotSince` gives it: undefined when the
   * database was still at `since`. Each capture is fetched once.
   */
  async snapshotCapture(toFile: string, capture: string, since: string | undefined): Promise<Snapshot | undefined> {
    const { file, version, unchanged } = await this.download(toFile, since, capture);
    return unchanged ? undefined : { file, ...(version !== undefined && { version }) };
  }

  private async download(toFile: string, since: string | undefined, capture?: string): Promise<Snapshot & { unchanged: boolean }> {
    if (this.status !== "running") throw new InstanceUnavailableError(`snapshot: instance is ${this.status} (${this.exitReason ?? "not serving yet"})`);
    const query = new URLSearchParams({ ...(since !== undefined && { since }), ...(capture !== undefined && { capture }) }).toString();
    const url = query ? `/__awm/snapshot?${query}` : "/__awm/snapshot";
    const download = { socketPath: this.episode.socket, url, toFile, maxBytes: this.limits.diskBytes, timeoutMs: this.limits.callTimeoutMs, agent: this.snapshotAgent, acceptNoContent: since !== undefined };
    const { size, headers } = await udsDownload(download).catch(async (error: unknown) => {
      await this.explainBrokenRequest("snapshot", error, download.timeoutMs);
      throw new Error(`snapshot of the instance's database failed: ${messageOf(error)}`, { cause: error });
    });
    const version = databaseVersion(headers);
    if (size === null) return { file: toFile, ...(version !== undefined && { version }), unchanged: true };
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const fd = fs.openSync(toFile, "r");
    const read = fs.readSync(fd, header, 0, header.length, 0);
    fs.closeSync(fd);
    if (read > 0 && header.toString("latin1") !== SQLITE_HEADER) {
      fs.rmSync(toFile, { force: true });
      throw new Error(`snapshot of ${this.dir}: the environment sent something that is not an SQLite database`);
    }
    return { file: toFile, ...(version !== undefined && { version }), unchanged: false };
  }

  /** Host pid of the episode's Python process. */
  pythonPid(): number | undefined {
    return this.status === "running" || this.status === "starting" ? this.episode.pid : undefined;
  }

  /** Resident memory of the episode's Python process (VmRSS, pages shared with its host included), in bytes. */
  residentMemoryBytes(): number | undefined {
    const pid = this.pythonPid();
    return pid === undefined ? undefined : residentBytes(pid);
  }

  async stop(): Promise<void> {
    if (this.status === "stopped" || this.status === "crashed") return;
    this.status = "stopped";
    this.exitReason = "stopped";
    await this.host.kill(this.episode.slot, "stopped");
    await this.exited;
  }

  /** Ends the episode for `reason` (reported as a crash). */
  private async kill(reason: string): Promise<void> {
    this.killReason ??= reason;
    await this.host.kill(this.episode.slot, reason);
    await this.exited;
  }

  private watch(episode: EpisodeProcess): void {
    void episode.ended.then(({ reason, usage }) => {
      if (this.replaced.has(episode)) return;
      this.usage = usage;
      if (this.status === "stopped") return this.end("stopped", this.exitReason ?? "stopped");
      this.end("crashed", this.killReason ?? this.describeExit(reason, usage));
    });
  }

  private end(status: "stopped" | "crashed", reason: string): void {
    if (this.status === "stopped" && status === "crashed") status = "stopped";
    this.status = status;
    this.exitReason ??= reason;
    this.agent.destroy();
    this.snapshotAgent.destroy();
    try {
      fs.rmSync(this.dir, { recursive: true, force: true });
    } catch (error) {
      process.emitWarning(`could not remove the folder of an ended instance: ${messageOf(error)}`);
    }
    episodeEnded(this.hostOptions, this.host);
    this.markExited();
  }

  /**
   * A kernel OOM kill anywhere in the episode's tree ends it, like one address space running out:
   * which process died is the kernel's choice, so the state left is not one to keep serving.
   */
  private async checkMemory(purpose: string): Promise<void> {
    const oomKills = this.episode.cgroup?.usage().oomKills ?? 0;
    if (oomKills === 0 || this.status !== "running") return;
    await this.kill(this.outOfMemory(oomKills));
    throw new InstanceUnavailableError(`${purpose} failed: instance crashed (${this.exitReason})`);
  }

  private outOfMemory(oomKills: number): string {
    const limit = Math.round(this.limits.memoryBytes / 2 ** 20);
    return `out of memory: the process tree reached its ${limit} MiB limit and the kernel killed ${oomKills} of its processes`;
  }

  private requireOpenapi(): OpenApiDocument {
    const document = documents.get(this.host);
    if (!document) throw new InstanceUnavailableError(`instance in ${this.dir} is ${this.status}`);
    return document;
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
      const answer = await udsRequest(this.episode.socket, { method, url, headers: payload?.headers, body: payload?.body, timeoutMs, agent: this.agent });
      if (answer.status >= 500) this.renewConnection();
      return answer;
    } catch (error) {
      if (this.status !== "running") throw error;
      await this.explainBrokenRequest(purpose, error, timeoutMs);
      throw error;
    }
  }

  /**
   * Throws what really went wrong when a request to a running episode failed: out of memory; a
   * request that hung (the server runs handlers on one event loop, so after one it is unusable and
   * goes); or a broken connection, which usually means the process died, with why.
   */
  private async explainBrokenRequest(purpose: string, error: unknown, timeoutMs: number): Promise<void> {
    await this.checkMemory(purpose);
    if (error instanceof UdsTimeoutError && this.status === "running") {
      await this.kill(`${purpose} exceeded ${timeoutMs} ms`);
      throw new InstanceUnavailableError(`${purpose} exceeded ${timeoutMs} ms; the instance was stopped`);
    }
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 200))]);
    if (this.status === "crashed") throw new InstanceUnavailableError(`${purpose} failed: instance crashed (${this.exitReason})`);
  }

  /**
   * uvicorn closes the connection after an exception that reaches it without a `Connection: close`
   * (the episode answers the code's own exceptions, but not one raised mid-answer or by a handler
   * the environment installed), so the pooled socket would be dead for the next call (it would fail
   * with ECONNRESET): after any 5xx the next call gets a new connection.
   */
  private renewConnection(): void {
    this.agent.destroy();
    this.agent = episodeConnection();
  }

  private describeExit(reason: string, usage: TreeUsage | undefined): string {
    if (usage && usage.oomKills > 0) return this.outOfMemory(usage.oomKills);
    if (/MemoryError/.test(this.episode.tail())) return `out of memory (limit ${Math.round(this.limits.memoryBytes / 2 ** 20)} MiB), ${reason}`;
    return reason;
  }
}

/** One kept-alive connection to the episode, reused request after request. */
function episodeConnection(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 1 });
}

/** The version the episode gave its database, when it has the form awm_host.py writes (the environment's code may answer anything). */
function databaseVersion(headers: http.IncomingHttpHeaders, header = VERSION_HEADER): string | undefined {
  const value = headers[header];
  return typeof value === "string" && VERSION_PATTERN.test(value) ? value : undefined;
}

function parseBody(answer: UdsResponse): unknown {
  if (!String(answer.headers["content-type"] ?? "").includes("json")) return answer.body;
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    return answer.body;
  }
}
