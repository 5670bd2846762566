/**
 * One sandboxed Python process per environment (python/awm_host.py) that has imported the code
 * once and forks a process per episode: an episode starts in milliseconds, from the state of a
 * fresh import, with its own database file, /tmp, user and mount namespace. Its `slots` are
 * listening sockets the studio binds in the host's folder (never visible to the code) before the
 * sandbox starts, with a pipe each for the episode's output; an episode lives on one slot.
 *
 * The host runs the environment's code, so what it says is treated as hostile: its answers are
 * capped and checked, and an episode's limits are enforced from outside, by a cgroup of its own
 * the studio moves it into before it runs (memory of its whole tree, processes).
 */
import fs from "node:fs";
import type { Socket } from "node:net";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { CAPS } from "../config/caps.ts";
import { newHostFolder } from "./host-folders.ts";
import { createTreeCgroup, type TreeCgroup, type TreeUsage } from "./cgroups.ts";
import { findHostPid, findPythonProcess } from "./host-processes.ts";
import { defaultPython, interpreterMounts, runtimePythonDir } from "./python-runtime.ts";
import { handToSandbox, readableBySandbox, SANDBOX_UID, spawnIsolated, type IsolatedEnd, type IsolatedProcess } from "./sandbox.ts";
import { udsRequest } from "./uds-http.ts";

export interface HostLimits {
  /** Memory of one episode's process tree (and of each process). */
  memoryBytes: number;
  /** Processes and threads of one episode. */
  maxProcesses: number;
  /** Size of an episode's /episode (its database) and of the host's own folders. */
  diskBytes: number;
  /** Size of an episode's /tmp. */
  tmpBytes: number;
  startTimeoutMs: number;
}

export interface StartHostOptions {
  code: string;
  seedDbFile: string;
  python?: string;
  limits: HostLimits;
  allowUnsandboxed?: boolean;
  /** Episodes at once; default DEFAULT_SLOTS. */
  slots?: number;
  /** Why forks cannot share an import of this code (see start): the host never imports it then. */
  notForkable?: string;
}

/** One forked episode process on a slot of a host. */
export interface EpisodeProcess {
  slot: number;
  socket: string;
  /** Host pid of the episode's process, when it could be found. */
  pid?: number;
  cgroup?: TreeCgroup;
  /** What it wrote to stdout and stderr, its last TAIL_CHARS characters. */
  tail(): string;
  /** Resolves with why it ended (asked to, by itself, or with its host) and its cgroup's count. */
  ended: Promise<{ reason: string; usage?: TreeUsage }>;
}

/** An environment (host or episode) that did not come up, with the tail of what it wrote. */
export class InstanceStartError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
  ) {
    super(stderrTail ? `${message}\n--- stderr (tail) ---\n${stderrTail}` : message);
    this.name = "InstanceStartError";
  }
}

/**
 * Episodes per host: every host imports the code again and holds its own copy of the import's pages,
 * so one host serves a whole RL batch's episodes of an environment.
 */
export const DEFAULT_SLOTS = 256;
const MAX_SOCKET_PATH = 107;
const TAIL_CHARS = 16 * 1024;
/** A control line longer than this ends the host: no honest answer is near it. */
const MAX_CONTROL_LINE = 4096;
const INSIDE_INSTANCE = "/instance";
const INSIDE_EPISODE = "/episode";
const INSIDE_RUNTIME = "/opt/awm-runtime";
const INSIDE_ENVIRONMENT = "/opt/awm-env";
/** The code, read-only and apart from /instance, which episodes do not see (awm_host.py's hide_host_folder). */
const INSIDE_CODE = "/opt/awm-code";
const READY_RETRY_MS = 5;

type ControlAnswer = { ready: true; forkable: boolean; why: string | null } | { importLeft: string } | { spawned: number; pid: number } | { killed: number } | { exited: number; status: string };

interface SlotState {
  socket: string;
  pipe: Socket;
  tail: string;
  /** The episode on it, while there is one. */
  episode?: { pid?: number; cgroup?: TreeCgroup; finish(reason: string): void };
}

const liveHosts = new Set<EnvironmentHost>();
// At exit nothing asynchronous runs: each host is killed and its folder removed here, or the folder stays.
process.once("exit", () => {
  for (const host of liveHosts) {
    host.killNow();
    fs.rmSync(host.dir, { recursive: true, force: true });
  }
});

export class EnvironmentHost {
  readonly sandboxed: boolean;
  /** Whether episodes are forks of the imported code (else each imports it again, and says why in `why`). */
  forkable = false;
  why?: string;
  status: "starting" | "running" | "ended" = "starting";
  exitReason?: string;
  private readonly free: number[];
  private readonly slots: SlotState[];
  private readonly waiting: { match: (answer: ControlAnswer) => boolean; resolve: (answer: ControlAnswer) => void }[] = [];
  private control = "";
  /** An episode forked and serving, for the next take. */
  private spare?: EpisodeProcess;
  private refilling?: Promise<void>;
  /** A take is waiting for the spare being forked. */
  private refillClaimed = false;
  private tail = "";
  private pythonPid?: number;
  /** Serializes spawn and kill requests: the host answers them one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  readonly ended: Promise<void>;

  private constructor(
    readonly dir: string,
    private readonly isolated: IsolatedProcess,
    sockets: string[],
    readonly limits: HostLimits,
  ) {
    this.sandboxed = isolated.sandboxed;
    const { child } = isolated;
    this.slots = sockets.map((socket, index) => {
      const pipe = child.stdio[3 + sockets.length + index] as Socket;
      const slot: SlotState = { socket, pipe, tail: "" };
      pipe.on("data", (chunk: Buffer) => (slot.tail = (slot.tail + chunk.toString("utf8")).slice(-TAIL_CHARS)));
      pipe.on("error", () => undefined);
      return slot;
    });
    this.free = sockets.map((_, index) => index).reverse();
    child.stderr?.on("data", (chunk: Buffer) => (this.tail = (this.tail + chunk.toString("utf8")).slice(-TAIL_CHARS)));
    child.stdout?.on("data", (chunk: Buffer) => this.readControl(chunk));
    child.stdin?.on("error", () => undefined);
    // A host keeps the studio (or a CLI command) running only while it owes an answer: idle, the
    // exit hook takes it down.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr, ...this.slots.map((slot) => slot.pipe)]) (stream as Socket | null)?.unref?.();
    liveHosts.add(this);
    this.ended = isolated.ended.then((end) => {
      liveHosts.delete(this);
      this.status = "ended";
      this.exitReason ??= describeEnd(end, this.sandboxed);
      for (const slot of this.slots) slot.episode?.finish(`its environment host ended (${this.exitReason})`);
      for (const waiter of this.waiting.splice(0)) waiter.resolve({ exited: -1, status: this.exitReason });
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }

  static async start(options: StartHostOptions): Promise<EnvironmentHost> {
    const python = options.python ?? defaultPython();
    if (!fs.existsSync(python)) throw new InstanceStartError(`Python interpreter ${python} not found (set AWM_STUDIO_PYTHON)`, "");
    const seedFile = path.resolve(options.seedDbFile);
    if (!fs.statSync(seedFile, { throwIfNoEntry: false })?.isFile()) throw new InstanceStartError(`seed database ${seedFile} is not a file`, "");
    const slots = options.slots ?? DEFAULT_SLOTS;
    const dir = newHostFolder();
    fs.mkdirSync(path.join(dir, "slots"));
    const servers: { fd: number; close(): void }[] = [];
    let isolated: IsolatedProcess;
    const { limits } = options;
    try {
      const code = path.join(dir, "env.py");
      fs.writeFileSync(code, options.code);
      // A copy in the host's folder: the sandbox's user may not read the studio's home.
      const seedDb = path.join(dir, "seed.db");
      fs.copyFileSync(seedFile, seedDb);
      const sockets = Array.from({ length: slots }, (_, index) => path.join(dir, "slots", `${index}.sock`));
      for (const socket of sockets) servers.push(listenOn(socket));
      const work = path.join(dir, "work");
      fs.mkdirSync(work);
      handToSandbox(dir);
      const runtimeDir = readableBySandbox(runtimePythonDir());
      isolated = spawnIsolated({
        mounts: [
          { host: work, inside: INSIDE_INSTANCE, writable: true, tmpfsBytes: limits.diskBytes },
          { host: code, inside: `${INSIDE_CODE}/env.py` },
          { host: path.join(work, "episode"), inside: INSIDE_EPISODE, writable: true, tmpfsBytes: limits.diskBytes },
          // /dev is read-only: an import that makes a multiprocessing lock needs this (episodes get their own).
          { host: "/dev/shm", inside: "/dev/shm", writable: true, tmpfsBytes: limits.tmpBytes },
          { host: seedDb, inside: `${INSIDE_ENVIRONMENT}/seed.db` },
          { host: runtimeDir, inside: INSIDE_RUNTIME },
          ...interpreterMounts(python),
        ],
        argv: (inside) => [
          python,
          "-B",
          "-s",
          path.join(inside(runtimeDir), "awm_host.py"),
          ...["--code", inside(code), "--seed", inside(seedDb), "--slots", String(slots)],
          ...["--disk-bytes", String(limits.diskBytes), "--tmp-bytes", String(limits.tmpBytes), "--answer-bytes", String(CAPS.environmentResponse.bytes)],
          // Without the sandbox there are no namespaces to give each fork its own database file.
          ...(inside(work) === work ? ["--fresh"] : []),
          ...(options.notForkable === undefined ? [] : ["--not-forkable", options.notForkable]),
        ],
        env: { PATH: "/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8", PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" },
        cwd: work,
        // The host itself: the code imported once, and the episodes until each is moved to its own group.
        memoryBytes: limits.memoryBytes,
        maxProcesses: slots * 2 + 16,
        tmpBytes: limits.tmpBytes,
        fileBytes: limits.diskBytes,
        passFds: servers.map((server) => server.fd),
        extraPipes: slots,
        stdin: "pipe",
        allowUnsandboxed: options.allowUnsandboxed,
        uid: SANDBOX_UID,
      });
      const host = new EnvironmentHost(dir, isolated, sockets, limits);
      const importLeft = await host.waitUntilReady(limits.startTimeoutMs);
      if (importLeft === undefined) return host;
      // What the import left would keep running beside every episode's socket: a new sandbox whose
      // host never imports the code (each episode does) replaces this one, with nothing of it.
      await host.stop(`its import left what forks would share (${importLeft}): started again without it`);
      return await EnvironmentHost.start({ ...options, notForkable: importLeft });
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    } finally {
      // The host holds the sockets now; the studio's copies go (their bind names with them).
      for (const server of servers) server.close();
    }
  }

  /** Episodes this host can still give: its free slots and its spare. */
  get available(): number {
    return this.status === "running" ? this.free.length + (this.spare ? 1 : 0) : 0;
  }

  /** Episodes taken and not yet ended. */
  get activeEpisodes(): number {
    return this.slots.length - this.free.length - (this.spare || this.refilling ? 1 : 0);
  }

  /**
   * Host pids of each episode's processes (the spare's included): all of its cgroup's, so what its
   * children hold counts too, or the episode's own process without a cgroup.
   */
  episodeProcesses(): number[][] {
    return this.slots.flatMap(({ episode }) => (episode?.cgroup ? [episode.cgroup.members()] : episode?.pid === undefined ? [] : [[episode.pid]]));
  }

  /** Host pid of the host's own Python process (the one that imported the code). */
  pythonProcess(): number | undefined {
    return this.pythonPid;
  }

  /** What the host process wrote (the import's errors), its last lines. */
  stderrTail(lines = 40): string {
    return tailLines(this.tail, lines);
  }

  /**
   * A serving episode: the spare when one is ready (then another is forked behind it), else a new
   * fork. The spare is taken before this first waits, so two callers never get the same one.
   */
  async take(): Promise<EpisodeProcess> {
    // One being forked already is nearer to serving than a new fork: wait for it, when no one else does.
    if (!this.spare && this.refilling && !this.refillClaimed) {
      this.refillClaimed = true;
      await this.refilling;
      this.refillClaimed = false;
    }
    const spare = this.spare;
    this.spare = undefined;
    const episode = spare ?? (await this.spawn());
    void this.refill();
    return episode;
  }

  /** Forks an episode on a free slot, moves it into a cgroup of its own, lets it run, and waits until it serves. */
  private async spawn(): Promise<EpisodeProcess> {
    const slot = this.free.pop();
    if (slot === undefined) throw new Error(`environment host ${this.dir} has no free slot`);
    let episode: EpisodeProcess;
    try {
      episode = await this.serialized(() => this.spawnOn(slot));
    } catch (error) {
      if (this.status === "running") this.free.push(slot);
      throw error;
    }
    await this.untilServing(episode);
    return episode;
  }

  /** Keeps one episode forked and serving ahead of the next take (a reset then costs no fork). */
  private async refill(): Promise<void> {
    if (this.spare || this.refilling || this.free.length === 0 || this.status !== "running") return;
    this.refilling = this.spawn()
      .then((spare) => {
        this.spare = spare;
        void spare.ended.then(() => {
          if (this.spare === spare) this.spare = undefined;
        });
      })
      // the next take forks its own episode and reports why it fails
      .catch(() => undefined)
      .finally(() => (this.refilling = undefined));
    await this.refilling;
  }

  /** GET /__awm/ready until the episode answers; its end or the start timeout first is an error naming why. */
  private async untilServing(episode: EpisodeProcess): Promise<void> {
    const deadline = Date.now() + this.limits.startTimeoutMs;
    let end: string | undefined;
    void episode.ended.then(({ reason }) => (end = reason));
    while (end === undefined) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        await this.kill(episode.slot, `did not serve within ${this.limits.startTimeoutMs} ms`);
        break;
      }
      // The socket listens from the start, so this waits in its backlog until the episode accepts.
      const ask = udsRequest(episode.socket, { method: "GET", url: "/__awm/ready", timeoutMs: remaining }).catch(() => undefined);
      const answer = await Promise.race([episode.ended.then(() => undefined), ask]);
      if (answer?.status === 200) return;
      if (end === undefined) await new Promise((resolve) => setTimeout(resolve, READY_RETRY_MS));
    }
    const { reason } = await episode.ended;
    throw new InstanceStartError(`environment episode failed to start: ${reason}`, tailLines(episode.tail(), 40));
  }

  /** Ends the episode on `slot` (its whole tree) and frees the slot. */
  kill(slot: number, reason: string): Promise<void> {
    return this.serialized(async () => {
      if (this.status === "running") {
        this.send({ op: "kill", slot });
        await this.answer((answer) => "killed" in answer && answer.killed === slot, `kill episode ${slot}`);
      }
      this.release(slot, reason);
    });
  }

  /** The episode on `slot` has ended: it learns why, and the slot is free again. */
  private release(slot: number, reason: string): void {
    const state = this.slots[slot]!;
    if (!state.episode) return;
    state.episode.finish(reason);
    if (this.status === "running") this.free.push(slot);
  }

  /** Kills the host and its episodes (the episodes die with it: parent-death signal). */
  async stop(reason: string): Promise<void> {
    this.exitReason ??= reason;
    this.killNow();
    await this.ended;
  }

  killNow(): void {
    this.isolated.kill();
  }

  private async spawnOn(slot: number): Promise<EpisodeProcess> {
    if (this.status !== "running") throw new Error(`environment host ${this.dir} is ${this.status} (${this.exitReason})`);
    const state = this.slots[slot]!;
    state.tail = "";
    this.send({ op: "spawn", slot });
    const answer = await this.answer((candidate) => ("spawned" in candidate && candidate.spawned === slot) || ("exited" in candidate && candidate.exited === -1), `spawn episode ${slot}`);
    if (!("spawned" in answer)) throw new Error(`environment host ended: ${this.exitReason}`);
    const pid = this.pythonPid === undefined ? undefined : findHostPid(this.pythonPid, answer.pid);
    let cgroup: TreeCgroup | undefined;
    if (pid !== undefined) {
      cgroup = createTreeCgroup({ memoryBytes: this.limits.memoryBytes, maxProcesses: this.limits.maxProcesses });
      // Synchronous: the episode is registered below before any message from the host is read.
      cgroup?.adopt(pid);
    }
    let finish!: (reason: string) => void;
    const ended = new Promise<{ reason: string; usage?: TreeUsage }>((resolve) => {
      finish = (reason) => {
        state.episode = undefined;
        if (!cgroup) return resolve({ reason });
        void cgroup.release().then((usage) => resolve({ reason, usage }));
      };
    });
    state.episode = { ...(pid !== undefined && { pid }), ...(cgroup && { cgroup }), finish };
    state.pipe.write("g");
    return { slot, socket: state.socket, ...(pid !== undefined && { pid }), ...(cgroup && { cgroup }), tail: () => state.tail, ended };
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const done = this.queue.then(work);
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** Resolves once the host serves, or with why its import cannot be shared by forks (it must be started again). */
  private async waitUntilReady(timeoutMs: number): Promise<string | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ready = await Promise.race([
      this.answer((answer) => "ready" in answer || "importLeft" in answer || ("exited" in answer && answer.exited === -1)),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (ready && "importLeft" in ready) return ready.importLeft;
    if (ready && "ready" in ready) {
      this.forkable = ready.forkable;
      if (ready.why) this.why = ready.why;
      this.status = "running";
      this.pythonPid = this.isolated.child.pid === undefined ? undefined : findPythonProcess(this.isolated.child.pid);
      return undefined;
    }
    if (!ready) await this.stop(`did not import the code within ${timeoutMs} ms`);
    await this.ended;
    throw new InstanceStartError(`environment failed to start: ${this.exitReason}`, this.stderrTail());
  }

  private send(request: { op: "spawn" | "kill"; slot: number }): void {
    this.isolated.child.stdin?.write(`${JSON.stringify(request)}\n`);
  }

  /**
   * The host's answer that `match` takes. With `request` (a spawn or a kill, which the host answers
   * at once), a host that has not answered within its start time is stuck: the import's code can
   * rewrite the host (os.fork that never returns), so it is ended, and every waiter learns why.
   */
  private answer(match: (answer: ControlAnswer) => boolean, request?: string): Promise<ControlAnswer> {
    if (this.status === "ended") return Promise.resolve({ exited: -1, status: this.exitReason ?? "ended" });
    const control = this.isolated.child.stdout as Socket | null;
    control?.ref();
    const deadline =
      request === undefined
        ? undefined
        : setTimeout(() => {
            this.exitReason ??= `its host did not answer "${request}" within ${this.limits.startTimeoutMs} ms`;
            this.killNow();
            // Now, not when its process is reaped: the host is unreferenced, and nothing else may keep this process waiting for that.
            for (const waiter of this.waiting.splice(0)) waiter.resolve({ exited: -1, status: this.exitReason });
          }, this.limits.startTimeoutMs);
    return new Promise<ControlAnswer>((resolve) => this.waiting.push({ match, resolve })).finally(() => {
      clearTimeout(deadline);
      if (this.waiting.length === 0) control?.unref();
    });
  }

  private readControl(chunk: Buffer): void {
    this.control += chunk.toString("utf8");
    let newline: number;
    while ((newline = this.control.indexOf("\n")) >= 0) {
      const line = this.control.slice(0, newline);
      this.control = this.control.slice(newline + 1);
      const answer = parseControl(line, this.slots.length);
      if (!answer) return this.broken(`it answered something that is not a control message: ${JSON.stringify(line.slice(0, 200))}`);
      if ("exited" in answer) this.release(answer.exited, answer.status);
      const index = this.waiting.findIndex((waiter) => waiter.match(answer));
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(answer);
    }
    if (this.control.length > MAX_CONTROL_LINE) this.broken(`a control line passed ${MAX_CONTROL_LINE} characters`);
  }

  private broken(why: string): void {
    this.control = "";
    void this.stop(`the environment host broke its protocol: ${why}`);
  }
}

function tailLines(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** A control message of the host, checked field by field; undefined for anything else. */
function parseControl(line: string, slots: number): ControlAnswer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const message = value as Record<string, unknown>;
  const isSlot = (slot: unknown): slot is number => Number.isInteger(slot) && (slot as number) >= 0 && (slot as number) < slots;
  if (message.ready === true && typeof message.forkable === "boolean") return { ready: true, forkable: message.forkable, why: typeof message.why === "string" ? message.why.slice(0, 1000) : null };
  if (typeof message.import_left === "string") return { importLeft: message.import_left.slice(0, 1000) };
  if (isSlot(message.spawned) && Number.isInteger(message.pid) && (message.pid as number) > 0) return { spawned: message.spawned, pid: message.pid as number };
  if (isSlot(message.killed)) return { killed: message.killed };
  if (isSlot(message.exited) && typeof message.status === "string") return { exited: message.exited, status: message.status.slice(0, 200) };
  return undefined;
}

/** Folder of the hosts' folders: the studio's alone, never mounted into a sandbox. */

/**
 * A listening socket at `socket`, open for handing to a child. Node removes the path it bound on
 * close, so the socket is bound under a second name and linked to `socket`, which survives.
 */
function listenOn(socket: string): { fd: number; close(): void } {
  const bound = `${socket}.bind`;
  if (Buffer.byteLength(bound) > MAX_SOCKET_PATH) throw new InstanceStartError(`host folder path too long for a Unix socket (${bound} is over ${MAX_SOCKET_PATH} bytes)`, "");
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
