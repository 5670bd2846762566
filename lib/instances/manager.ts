/**
 * The studio's registry of live environment instances: one per `createInstance`, each a sandboxed
 * process in `${studioHome()}/instances/<id>/`. The registry lives on globalThis so a Next dev
 * reload keeps (and can still stop) the instances started before it.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { CodeRecord } from "../awm/types.ts";
import { studioHome } from "../config/paths.ts";
import { BusyError, ConflictError, messageOf, NotFoundError, UnavailableError } from "../errors.ts";
import { startInstance, type CaptureRequest, type EnvironmentInstance, type InstanceStatus, type Snapshot, type ToolCallResult } from "../runtime/instance.ts";
import { observeLiveSchema } from "../library/live-schema.ts";
import { recordServedTools } from "../library/served-tools.ts";
import { runtimeStatus } from "../runtime/runtime-status.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { episodeCapacity, episodeCost, episodeMemoryBudget, type EpisodeCost } from "./capacity.ts";
import { instanceLimits, instanceManagerLimits } from "../runtime/limits.ts";
import { markShadowedTools, type CatalogTool } from "./shadowed-tools.ts";
import { removeStaleInstanceFolders } from "./stale-folders.ts";
import { checkToolArguments } from "./tool-arguments.ts";
import { approximate } from "../json/exact-json.ts";

export interface InstanceInfo {
  id: string;
  environment: string;
  createdAt: string;
  lastActivity: string;
  status: InstanceStatus;
  /** Host pid of the episode's process, while it runs. */
  pid?: number;
  sandboxed: boolean;
  exitReason?: string;
  stderrTail: string;
  dir: string;
  socket: string;
  toolCount: number;
  /** Tools whose requests reach another handler (see CatalogTool.shadowedBy). */
  shadowedTools: string[];
  /** The trajectory recording every call on this instance (a playtest or an external agent's episode). */
  episode?: string;
  /** The rollout job or agent run playing on it, when the studio started it for one. */
  usedBy?: InstanceUser;
  /** When it stopped or crashed: its age stops there. */
  endedAt?: string;
}

/**
 * An episode's recording of an instance: every call and reset on it, whichever face made it (MCP,
 * REST, the playtest page), passes through here and becomes a step of the episode's trajectory.
 */
export interface InstanceRecorder {
  trajectoryId: string;
  /** `run` sends the call, with the recorder's capture when it gives one. */
  call(tool: string, args: Record<string, unknown>, run: (capture?: CaptureRequest) => Promise<ToolCallResult>): Promise<ToolCallResult>;
  reset(run: () => Promise<{ durationMs: number }>): Promise<{ durationMs: number }>;
  /** Records a call refused before it reached the environment (no such tool, arguments the schema refuses). */
  refused(tool: string, args: Record<string, unknown>, reason: string): Promise<void>;
  /** Ends the episode with a final answer and judges it. */
  finish(finalAnswer: string): Promise<EpisodeVerdict>;
}

/** How an episode was judged when it finished: for its agent, in words (`text`) and as fields. */
export interface EpisodeVerdict {
  text: string;
  /** The episode's id (its trajectory's). */
  episode: string;
  classification: string;
  /** Null when the episode could not be judged (judge_error). */
  reward: number | null;
  /** The verifier's reason, or why judging failed. */
  reason: string;
}

/** What the MCP server needs of an instance. */
export interface InstanceToolHost {
  name: string;
  tools(): CatalogTool[];
  /** Validates the arguments, counts as activity, then calls the environment. */
  callTool(name: string, args: Record<string, unknown>): Promise<ToolCallResult>;
  /** Present when an episode records the instance: ends it (the MCP `finish_episode` tool). */
  finish?: (finalAnswer: string) => Promise<EpisodeVerdict>;
  /** Present when an episode records the instance: a call the MCP face refused is a step too. */
  refused?: (tool: string, args: Record<string, unknown>, reason: string) => Promise<void>;
}

/** What plays on an instance the studio started for itself: stopping it ends that work's episode. */
export type InstanceUser = { kind: "rollout"; jobId: string } | { kind: "agent-run" };

export interface CreateInstanceOptions {
  /** False for instances whose owner stops them (the stdio MCP command); default true. */
  idleStop?: boolean;
  usedBy?: InstanceUser;
}

interface ManagedInstance {
  id: string;
  environment: string;
  createdAt: Date;
  lastActivity: Date;
  instance: EnvironmentInstance;
  tools: CatalogTool[];
  idleTimer?: NodeJS.Timeout;
  /** Why the manager stopped it, when it did (idle, stop request, studio exit). */
  stopReason?: string;
  recorder?: InstanceRecorder;
  usedBy?: InstanceUser;
  /** When its process ended (stopped or crashed). */
  endedAt?: Date;
}

interface Registry {
  instances: Map<string, ManagedInstance>;
  /** Instances being started: they count against the cap already. */
  starting: number;
  /** Starts waiting for room under the cap, first come first served. */
  queue: QueuedStart[];
  exitHooksInstalled: boolean;
}

interface QueuedStart {
  environment: string;
  since: Date;
  admit(): void;
}

/** A start waiting for room, as the Instances page and API show it. */
export interface QueuedInstance {
  position: number;
  environment: string;
  since: string;
}

/** How many instances may be live, and why. */
export interface InstanceCapacity {
  limit: number;
  live: number;
  /** Set when AWM_STUDIO_MAX_INSTANCES fixes the limit. */
  fixed: boolean;
  budgetBytes: number;
  cost: EpisodeCost;
}

/** Waiting starts beyond this many are refused: something is starting far more than it stops. */
const MAX_QUEUED = 4096;

/** Stopped instances stay listed (with why they stopped) up to this many; the oldest go first. */
const RETAINED_STOPPED = 32;

const registry: Registry = ((globalThis as { awmStudioInstances?: Registry }).awmStudioInstances ??= {
  instances: new Map(),
  starting: 0,
  queue: [],
  exitHooksInstalled: false,
});

/**
 * Starts an instance once there is room under the cap (instanceCapacity): a start that would pass
 * it waits in a queue, first come first served, until an instance ends.
 */
export async function createInstance(environmentName: string, options: CreateInstanceOptions = {}): Promise<InstanceInfo> {
  const limits = instanceManagerLimits();
  await admission(environmentName);
  try {
    await removeStaleInstanceFolders(instancesDir(), new Set(registry.instances.keys()));
    const environment = await loadEnvironment(environmentName, { artifacts: ["code"] });
    const code = environment.artifacts.code as { record: CodeRecord } | undefined;
    if (!code?.record.full_code) throw new ConflictError(`environment "${environmentName}" has no interface code (gen_envs.jsonl full_code) to run`);
    const id = crypto.randomBytes(5).toString("hex");
    const instance = await startInstance({
      code: code.record.full_code,
      seedDbFile: environment.seedDbFile,
      dir: path.join(instancesDir(), id),
      limits: instanceLimits(limits),
      allowUnsandboxed: limits.allowUnsandboxed,
    }).catch((error: unknown) => withRuntimeAdvice(error));
    await observeStartUp(environment, instance, code.record);
    const tools = markShadowedTools(instance.tools(), code.record.full_code);
    await recordServedTools(environment.id, code.record, tools);
    const now = new Date();
    const managed: ManagedInstance = { id, environment: environmentName, createdAt: now, lastActivity: now, instance, tools, ...(options.usedBy && { usedBy: options.usedBy }) };
    if (options.idleStop !== false) {
      managed.idleTimer = setTimeout(() => void stopManaged(managed, `idle for ${limits.idleMs} ms (AWM_STUDIO_IDLE_MS)`), limits.idleMs).unref();
    }
    registry.instances.set(id, managed);
    void instance.exited.then(() => {
      managed.endedAt = new Date();
      admitWaiting();
    });
    installExitHooks();
    pruneStopped();
    return describe(managed);
  } finally {
    registry.starting--;
    admitWaiting();
  }
}

/** The cap now: AWM_STUDIO_MAX_INSTANCES, or the episode memory budget over an episode's measured cost. */
export function instanceCapacity(): InstanceCapacity {
  const { maxInstances } = instanceManagerLimits();
  const budgetBytes = episodeMemoryBudget();
  const cost = episodeCost();
  return { limit: maxInstances ?? episodeCapacity(budgetBytes, cost), live: occupied(), fixed: maxInstances !== undefined, budgetBytes, cost };
}

/** Starts waiting for room, in order. */
export function instanceQueue(): QueuedInstance[] {
  return registry.queue.map((entry, index) => ({ position: index + 1, environment: entry.environment, since: entry.since.toISOString() }));
}

/** Counts this start against the cap at once when there is room and no one waits, else queues it. */
async function admission(environment: string): Promise<void> {
  if (registry.queue.length === 0 && occupied() < instanceCapacity().limit) {
    registry.starting++;
    return;
  }
  if (registry.queue.length >= MAX_QUEUED) {
    throw new BusyError(`${MAX_QUEUED} instance starts are waiting already under a cap of ${instanceCapacity().limit}: stop instances, or raise AWM_STUDIO_EPISODE_MEMORY_MB / AWM_STUDIO_MAX_INSTANCES`);
  }
  await new Promise<void>((admit) => registry.queue.push({ environment, since: new Date(), admit }));
}

/** Lets queued starts in while there is room; each is counted as starting before it resumes. */
function admitWaiting(): void {
  while (registry.queue.length > 0 && occupied() < instanceCapacity().limit) {
    registry.starting++;
    registry.queue.shift()!.admit();
  }
}

function occupied(): number {
  return liveIds().length + registry.starting;
}

/** The first start with this code and schema records what its start-up did to the database; a failure there is reported, not fatal. */
async function observeStartUp(environment: { id: string; seedDbFile: string }, instance: EnvironmentInstance, code: CodeRecord): Promise<void> {
  await observeLiveSchema(environment, instance, code).catch((error: unknown) => {
    process.emitWarning(`could not compare the live schema of ${instance.dir} with its seed database: ${messageOf(error)}`);
  });
}

/** A start that failed because this machine cannot run environment code says what to install. */
async function withRuntimeAdvice(error: unknown): Promise<never> {
  const status = await runtimeStatus();
  if (status.ready) throw error;
  throw new UnavailableError(`${messageOf(error)}\n${status.advice.join("\n")}`);
}

/** What GET /api/instances answers: live and recent instances, the queued starts and the cap. */
export interface InstanceList {
  instances: InstanceInfo[];
  queue: QueuedInstance[];
  capacity: InstanceCapacity;
}

export function instanceList(): InstanceList {
  return { instances: listInstances(), queue: instanceQueue(), capacity: instanceCapacity() };
}

export function listInstances(): InstanceInfo[] {
  return [...registry.instances.values()].map(describe);
}

export function getInstance(id: string): InstanceInfo {
  return describe(managed(id));
}

/** The catalog of the instance's tools, with shadowed routes marked. */
export function instanceTools(id: string): CatalogTool[] {
  return managed(id).tools;
}

/** `validate: false` sends the arguments unchecked (a playtest's raw mode: what agents really send). */
/** `capture`: see EnvironmentInstance.callTool; the copy is read with snapshotInstanceCapture. */
export async function callInstanceTool(id: string, name: string, args: Record<string, unknown> = {}, { validate = true, capture }: { validate?: boolean; capture?: CaptureRequest } = {}): Promise<ToolCallResult> {
  const entry = running(id);
  touch(entry);
  try {
    const tool = entry.tools.find((candidate) => candidate.name === name);
    if (!tool) throw new NotFoundError(`instance ${id} (${entry.environment}) has no tool named "${name}"; it has: ${entry.tools.map((t) => t.name).join(", ")}`);
    if (validate) checkToolArguments(tool, approximate(args));
  } catch (error) {
    // An episode's agent made this call: refused, it is still a step (malformed) of the episode.
    await entry.recorder?.refused(name, args, messageOf(error));
    throw error;
  }
  const run = (recorded?: CaptureRequest) => entry.instance.callTool(name, args, { capture: recorded ?? capture });
  return entry.recorder ? entry.recorder.call(name, args, run) : run();
}

export async function resetInstance(id: string): Promise<{ durationMs: number }> {
  const entry = running(id);
  touch(entry);
  const run = () => entry.instance.reset();
  return entry.recorder ? entry.recorder.reset(run) : run();
}

/** From now on every call and reset on the instance is recorded by `recorder`. */
export function attachRecorder(id: string, recorder: InstanceRecorder): void {
  const entry = running(id);
  if (entry.recorder && entry.recorder.trajectoryId !== recorder.trajectoryId) {
    throw new ConflictError(`instance ${id} already records episode ${entry.recorder.trajectoryId}`);
  }
  entry.recorder = recorder;
}

/** The recorder of a running instance, if an episode records it. */
export function instanceRecorder(id: string): InstanceRecorder | undefined {
  return running(id).recorder;
}

/**
 * Writes a consistent copy of the instance's database into its folder (which the environment's code
 * never sees) and returns the file's path; the file goes with the folder when the instance ends.
 */
export async function snapshotInstance(id: string): Promise<string> {
  const entry = running(id);
  return entry.instance.snapshot(snapshotFile(entry, undefined));
}

/**
 * As snapshotInstance, into `folder` when given (the caller's, e.g. an episode's that outlives the
 * instance), with the database's version; undefined, with nothing written, while the database is
 * still at `since`, the version of a snapshot the caller holds.
 */
export async function snapshotInstanceSince(id: string, folder: string | undefined, since: undefined): Promise<Snapshot>;
export async function snapshotInstanceSince(id: string, folder: string | undefined, since: string | undefined): Promise<Snapshot | undefined>;
export async function snapshotInstanceSince(id: string, folder: string | undefined, since: string | undefined): Promise<Snapshot | undefined> {
  const entry = running(id);
  return entry.instance.snapshotSince(snapshotFile(entry, folder), since);
}

/** The copy of the database a call captured (callInstanceTool's `capture`), into `folder`, as snapshotInstanceSince gives it. */
export async function snapshotInstanceCapture(id: string, folder: string, capture: string, since: string | undefined): Promise<Snapshot | undefined> {
  const entry = running(id);
  return entry.instance.snapshotCapture(snapshotFile(entry, folder), capture, since);
}

function snapshotFile(entry: ManagedInstance, folder: string | undefined): string {
  const dir = folder ?? path.join(entry.instance.dir, "snapshots");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${crypto.randomBytes(2).toString("hex")}.db`);
}

/** `reason`: what the instance's list says of it once stopped. */
export async function stopInstance(id: string, reason = "stopped on request"): Promise<InstanceInfo> {
  const entry = managed(id);
  await stopManaged(entry, reason);
  return describe(entry);
}

export async function stopAll(reason = "stopped with all instances"): Promise<void> {
  await Promise.all([...registry.instances.values()].map((entry) => stopManaged(entry, reason)));
}

export function instanceToolHost(id: string): InstanceToolHost {
  const entry = managed(id);
  const { recorder } = entry;
  return {
    name: `awm-${entry.environment}`,
    tools: () => entry.tools,
    callTool: (name, args) => callInstanceTool(id, name, args),
    ...(recorder && { finish: (finalAnswer: string) => recorder.finish(finalAnswer), refused: (tool: string, args: Record<string, unknown>, reason: string) => recorder.refused(tool, args, reason) }),
  };
}

function instancesDir(): string {
  return path.join(studioHome(), "instances");
}

function managed(id: string): ManagedInstance {
  const entry = registry.instances.get(id);
  // The live instances are not listed: they are other episodes', and this message reaches a playtest's page.
  if (!entry) throw new NotFoundError(`no instance ${id}: it was stopped and is forgotten, or never was (GET /api/instances lists the live ones)`);
  return entry;
}

function running(id: string): ManagedInstance {
  const entry = managed(id);
  const { status } = entry.instance;
  if (status !== "running") throw new ConflictError(`instance ${id} (${entry.environment}) is ${status}: ${exitReason(entry) ?? "not serving yet"}`);
  return entry;
}

function touch(entry: ManagedInstance): void {
  entry.lastActivity = new Date();
  entry.idleTimer?.refresh();
}

async function stopManaged(entry: ManagedInstance, reason: string): Promise<void> {
  clearTimeout(entry.idleTimer);
  if (entry.instance.status !== "running" && entry.instance.status !== "starting") return;
  entry.stopReason ??= reason;
  await entry.instance.stop();
}

function describe(entry: ManagedInstance): InstanceInfo {
  const { instance } = entry;
  const reason = exitReason(entry);
  return {
    id: entry.id,
    environment: entry.environment,
    createdAt: entry.createdAt.toISOString(),
    lastActivity: entry.lastActivity.toISOString(),
    status: instance.status,
    ...(instance.pythonPid() !== undefined && { pid: instance.pythonPid() }),
    sandboxed: instance.sandboxed,
    ...(reason !== undefined && { exitReason: reason }),
    stderrTail: instance.stderrTail(),
    dir: instance.dir,
    socket: instance.files.socket,
    toolCount: entry.tools.length,
    shadowedTools: entry.tools.filter((tool) => tool.shadowedBy !== undefined).map((tool) => tool.name),
    ...(entry.recorder && { episode: entry.recorder.trajectoryId }),
    ...(entry.usedBy && { usedBy: entry.usedBy }),
    ...(entry.endedAt && { endedAt: entry.endedAt.toISOString() }),
  };
}

/** A crash explains itself (exit code, out of memory); a stop says who stopped it and why. */
function exitReason(entry: ManagedInstance): string | undefined {
  return entry.instance.status === "stopped" ? (entry.stopReason ?? entry.instance.exitReason) : entry.instance.exitReason;
}

function liveIds(): string[] {
  return [...registry.instances.values()].filter((entry) => entry.instance.status === "running" || entry.instance.status === "starting").map((entry) => entry.id);
}

function pruneStopped(): void {
  const stopped = [...registry.instances.values()].filter((entry) => entry.instance.status === "stopped" || entry.instance.status === "crashed");
  for (const entry of stopped.slice(0, Math.max(0, stopped.length - RETAINED_STOPPED))) registry.instances.delete(entry.id);
}

/**
 * Every child ends when the studio ends. `instance.stop()` sends SIGKILL synchronously, so this
 * works inside an "exit" handler too. A signal is re-raised when no one else handles it, so adding
 * these hooks never stops Ctrl-C from ending the process.
 */
function installExitHooks(): void {
  if (registry.exitHooksInstalled) return;
  registry.exitHooksInstalled = true;
  const killAll = (reason: string) => {
    for (const entry of registry.instances.values()) void stopManaged(entry, reason).catch(() => undefined);
  };
  process.once("exit", () => killAll("the studio exited"));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAll(`the studio received ${signal}`);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
