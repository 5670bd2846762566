/**
 * The studio's trajectory records: an agent run in an environment (imported, playtested or produced
 * by an agent), its steps with their database diffs, and its verdicts. A trajectory's databases live
 * under AWM_STUDIO_HOME/trajectories/<id>/ (initial.db, final.db, replay/).
 */
import type { TrajectorySource } from "./sources.ts";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { VerifierMode } from "../awm/types.ts";
import { studioHome } from "../config/paths.ts";
import type { DbDiff } from "../diff/sqlite-diff.ts";
import { countChangedRows } from "./diff-shape.ts";
import { copyDatabase } from "../sqlite/toolbox.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import type { Prisma, Trajectory, TrajectoryStep, Verdict } from "../store/generated/client.ts";
import { parseExactJson, stringifyExactJson } from "../json/exact-json.ts";
import { parseTags, tagCondition } from "./review-tags.ts";
import { NotFoundError } from "../errors.ts";
import { ID_PATTERN } from "../ids.ts";

/** No trajectory has this id (a 404 naming it). */
export class UnknownTrajectoryError extends NotFoundError {
  constructor(readonly id: string) {
    super(`no trajectory ${id}`);
  }
}

export type { TrajectorySource } from "./sources.ts";
export type ReplayStatus = "none" | "ok" | "diverged" | "failed";

export interface NewTrajectory {
  environmentName: string;
  /** null for a free-text task (see task-text.ts). */
  taskIdx: number | null;
  task: string;
  source: TrajectorySource;
  model?: string;
  importedFrom?: string;
  /** The run's original JSON, kept verbatim for imports. */
  raw?: string;
  /** Copied to trajectories/<id>/initial.db. Optional only for imported runs without databases. */
  initialDbFile?: string;
  /** The initial database is a snapshot file the studio itself wrote: moved in, not copied. */
  moveInitialDb?: boolean;
  /** Agent runs of a rollout job: the job and the rollout's index in its task's group. */
  jobId?: string;
  rollout?: number;
  /** A live agent run: the process playing it (see lib/agent/live-run.ts). */
  agentOwner?: string;
}

/** How an agent run ended ("" for other trajectories); see lib/agent/episode.ts. */
export type AgentStatus = "" | "running" | "final" | "malformed" | "max_turns" | "stopped" | "infra_failure";

export interface NewStep {
  role: string;
  content?: string;
  toolCallId?: string;
  toolName?: string;
  /** Parsed arguments; a string that is not valid JSON is kept as that string (malformed calls). */
  toolArguments?: unknown;
  toolResponse?: string;
  isError?: boolean;
  isFinal?: boolean;
  malformed?: boolean;
  diff?: DbDiff;
  cumulativeDiff?: DbDiff;
  durationMs?: number;
  /** A call after the first one of an AWM-protocol reply: recorded, not run. */
  skipped?: boolean;
  /** Agent runs: the model call behind this step. */
  llmCallId?: string;
  promptTokens?: number;
  completionTokens?: number;
  latencyMs?: number;
}

export interface NewVerdict {
  mode: VerifierMode;
  classification: string;
  reward: number;
  reasoning?: string;
  confidence?: Record<string, number>;
  evidence?: unknown;
  verifierOutput?: string;
  error?: string;
  llmCallId?: string;
}

export interface TrajectorySummary {
  id: string;
  environmentName: string;
  /** null for a free-text task (see task-text.ts). */
  taskIdx: number | null;
  task: string;
  source: TrajectorySource;
  model: string;
  importedFrom: string;
  stepCount: number;
  replayStatus: ReplayStatus;
  /** How an agent episode ended ("" for other sources; "running" while it plays) and, for an infrastructure failure, why. */
  agentStatus: AgentStatus;
  infraError: string;
  /** An agent run of a rollout job: the job and the rollout's index in its task's group. */
  jobId: string | null;
  rollout: number | null;
  /** The latest successful verdict's class and reward; judge_error (and no reward) only when no judging succeeded. */
  verdictClass: string | null;
  reward: number | null;
  /** The latest verdict, when it is a judge error: shown beside the headline, never instead of it. */
  judgeError: { mode: VerifierMode; error: string } | null;
  /** A person's review (review.ts). */
  tags: string[];
  reviewNote: string;
  createdAt: string;
}

export interface StepView {
  id: string;
  ordinal: number;
  role: string;
  content: string;
  toolCallId: string | null;
  toolName: string | null;
  toolArguments: unknown;
  toolResponse: string | null;
  isError: boolean;
  isFinal: boolean;
  malformed: boolean;
  diff: DbDiff | null;
  cumulativeDiff: DbDiff | null;
  durationMs: number | null;
  skipped?: boolean;
  llmCallId?: string | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  latencyMs?: number | null;
}

export interface VerdictView {
  id: string;
  trajectoryId: string;
  mode: VerifierMode;
  classification: string;
  reward: number;
  reasoning: string;
  confidence: Record<string, number>;
  evidence: unknown;
  verifierOutput: string;
  error: string;
  llmCallId: string | null;
  createdAt: string;
}

export interface TrajectoryDetail extends TrajectorySummary {
  finalAnswer: string | null;
  /** Absolute paths; "" when the trajectory has no such database (yet). */
  initialDbFile: string;
  finalDbFile: string;
  replayFinalDiff: DbDiff | null;
  replayError: string;
  steps: StepView[];
  verdicts: VerdictView[];
}

/** A step as the timeline lists it: everything but its database diffs, which load one step at a time. */
export interface StepOutline extends Omit<StepView, "diff" | "cumulativeDiff"> {
  /** Rows the step inserted, deleted or updated; null when it has no recorded diff (not replayed, no tool call). */
  changedRows: number | null;
}

/** The trajectory page's first read: the detail with step outlines, so 100 steps do not ship 200 diffs. */
export interface TrajectoryOutline extends Omit<TrajectoryDetail, "steps"> {
  steps: StepOutline[];
}

export interface TrajectoryFilters {
  environment?: string;
  taskIdx?: number;
  source?: TrajectorySource;
  model?: string;
  verdict?: string;
  minReward?: number;
  maxReward?: number;
  diverged?: boolean;
  /** Runs a person tagged with this tag. */
  tag?: string;
  sort?: "createdAt" | "reward" | "steps";
  dir?: "asc" | "desc";
  limit?: number;
}

export function trajectoryDir(id: string): string {
  // Every caller has an id the studio made; one that could leave the folder is a bug or an attack, never a path.
  if (!ID_PATTERN.test(id)) throw new Error(`not a trajectory id: ${JSON.stringify(id)}`);
  return path.join(studioHome(), "trajectories", id);
}

/** Where a trajectory's files are gathered before its row exists (a run import): made empty, named apart from every id. */
export function incomingTrajectoryDir(): string {
  const dir = path.join(studioHome(), "trajectories", `${INCOMING_PREFIX}${crypto.randomBytes(8).toString("hex")}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

const INCOMING_PREFIX = ".incoming-";

/**
 * Removes trajectory folders no row names (an import or a run killed before its row was written)
 * last changed before `changedBefore` (ms; a younger one may be an import under way). Returns the names removed.
 */
export async function sweepTrajectoryFolders(changedBefore: number, db: StudioTx = studioDb()): Promise<string[]> {
  const root = path.join(studioHome(), "trajectories");
  const entries = fs.existsSync(root) ? fs.readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()) : [];
  const names = entries.map((entry) => entry.name);
  const known = new Set<string>();
  const ids = names.filter((name) => !name.startsWith(INCOMING_PREFIX));
  for (let at = 0; at < ids.length; at += 500) {
    for (const row of await db.trajectory.findMany({ where: { id: { in: ids.slice(at, at + 500) } }, select: { id: true } })) known.add(row.id);
  }
  const removed: string[] = [];
  for (const name of names) {
    if (known.has(name)) continue;
    const dir = path.join(root, name);
    if (fs.lstatSync(dir).mtimeMs >= changedBefore) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export function replayDir(id: string): string {
  return path.join(trajectoryDir(id), "replay");
}

/** An agent episode's step snapshots while it runs (its own: they outlive the instance); gone when it ends. */
export function episodeSnapshotsDir(id: string): string {
  return path.join(trajectoryDir(id), "snapshots");
}

async function moveFile(sourceFile: string, targetFile: string): Promise<void> {
  fs.mkdirSync(path.dirname(targetFile), { recursive: true });
  try {
    fs.renameSync(sourceFile, targetFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    fs.copyFileSync(sourceFile, targetFile);
    fs.rmSync(sourceFile, { force: true });
  }
}

export async function createTrajectory(input: NewTrajectory, db: StudioTx = studioDb()): Promise<{ id: string }> {
  const { id } = await db.trajectory.create({
    data: {
      environmentName: input.environmentName,
      taskIdx: input.taskIdx,
      task: input.task,
      source: input.source,
      model: input.model ?? "",
      importedFrom: input.importedFrom ?? "",
      raw: input.raw ?? "",
      jobId: input.jobId ?? null,
      rollout: input.rollout ?? null,
      agentStatus: input.source === "agent" ? "running" : "",
      agentOwner: input.agentOwner ?? "",
    },
    select: { id: true },
  });
  if (input.initialDbFile) {
    try {
      await setTrajectoryDatabases(id, { initialDbFile: input.initialDbFile, move: input.moveInitialDb }, db);
    } catch (error) {
      await deleteTrajectory(id, db);
      throw error;
    }
  }
  return { id };
}

/**
 * Copies the given databases into the trajectory's folder and records them. `move` is for snapshot
 * files the studio wrote itself (no live database, no WAL): renamed into place, not copied.
 */
export async function setTrajectoryDatabases(id: string, files: TrajectoryDatabases, db: StudioTx = studioDb()): Promise<void> {
  await db.trajectory.update({ where: { id }, data: await placeDatabases(id, files), select: { id: true } });
}

type TrajectoryDatabases = { initialDbFile?: string; finalDbFile?: string; move?: boolean };

/** Puts the databases in the trajectory's folder; returns the columns that name them. */
async function placeDatabases(id: string, files: TrajectoryDatabases): Promise<Omit<TrajectoryDatabases, "move">> {
  const data: Omit<TrajectoryDatabases, "move"> = {};
  const place = files.move ? moveFile : copyDatabase;
  if (files.initialDbFile) {
    data.initialDbFile = path.join(trajectoryDir(id), "initial.db");
    await place(files.initialDbFile, data.initialDbFile);
  }
  if (files.finalDbFile) {
    data.finalDbFile = path.join(trajectoryDir(id), "final.db");
    await place(files.finalDbFile, data.finalDbFile);
  }
  return data;
}

export async function appendStep(trajectoryId: string, step: NewStep, db: StudioTx = studioDb()): Promise<StepView> {
  const last = await db.trajectoryStep.findFirst({ where: { trajectoryId }, orderBy: { ordinal: "desc" }, select: { ordinal: true } });
  return insertStep(trajectoryId, (last?.ordinal ?? -1) + 1, step, db);
}

/** appendStep for a writer that numbers its steps itself (one episode's recorder). */
export async function insertStep(trajectoryId: string, ordinal: number, step: NewStep, db: StudioTx = studioDb()): Promise<StepView> {
  const data = stepData(step);
  // The trajectory's stepCount follows by a trigger (migration 0013).
  const { id } = await db.trajectoryStep.create({ data: { trajectoryId, ordinal, ...data }, select: { id: true } });
  // The view of what was just written, not read back (an agent turn writes one; its diffs need no parsing).
  return { ...toStepFields({ id, trajectoryId, ordinal, ...data }), diff: step.diff ?? null, cumulativeDiff: step.cumulativeDiff ?? null };
}

/** Bulk insert for imports: steps get ordinals 0..n-1 in the given order. */
export async function replaceSteps(trajectoryId: string, steps: NewStep[], db: StudioTx = studioDb()): Promise<void> {
  await db.trajectoryStep.deleteMany({ where: { trajectoryId } });
  await db.trajectoryStep.createMany({ data: steps.map((step, ordinal) => ({ trajectoryId, ordinal, ...stepData(step) })) });
  await db.trajectory.update({ where: { id: trajectoryId }, data: { stepCount: steps.length }, select: { id: true } });
}

export async function setStepDiffs(
  trajectoryId: string,
  ordinal: number,
  diffs: { diff: DbDiff; cumulativeDiff: DbDiff; durationMs?: number },
  db: StudioTx = studioDb(),
): Promise<void> {
  await db.trajectoryStep.update({
    where: { trajectoryId_ordinal: { trajectoryId, ordinal } },
    data: { diff: JSON.stringify(diffs.diff), cumulativeDiff: JSON.stringify(diffs.cumulativeDiff), durationMs: diffs.durationMs },
    select: { id: true },
  });
}

export async function finishTrajectory(
  id: string,
  result: { finalAnswer?: string; finalDbFile?: string; moveFinalDb?: boolean },
  db: StudioTx = studioDb(),
): Promise<void> {
  const databases = result.finalDbFile ? await placeDatabases(id, { finalDbFile: result.finalDbFile, move: result.moveFinalDb }) : {};
  const data = { ...databases, ...(result.finalAnswer !== undefined && { finalAnswer: result.finalAnswer }) };
  if (Object.keys(data).length > 0) await db.trajectory.update({ where: { id }, data, select: { id: true } });
}

export async function setAgentStatus(id: string, status: Exclude<AgentStatus, "">, infraError = "", db: StudioTx = studioDb()): Promise<void> {
  await db.trajectory.update({ where: { id }, data: { agentStatus: status, infraError }, select: { id: true } });
}

export async function setReplayResult(
  id: string,
  result: { status: ReplayStatus; finalDiff?: DbDiff; error?: string },
  db: StudioTx = studioDb(),
): Promise<void> {
  await db.trajectory.update({
    where: { id },
    data: {
      replayStatus: result.status,
      replayFinalDiff: result.finalDiff ? JSON.stringify(result.finalDiff) : "",
      replayError: result.error ?? "",
    },
    select: { id: true },
  });
}

/** A trajectory's headline: the class and reward it is listed and filtered by (see TrajectorySummary). */
export type VerdictHeadline = Pick<TrajectorySummary, "verdictClass" | "reward">;

/** What storing a verdict leaves: the verdict, and the trajectory's headline after it. */
export interface AddedVerdict {
  verdict: VerdictView;
  headline: VerdictHeadline;
}

/**
 * Stores a verdict; every verdict stays as history. A successful one becomes the trajectory's
 * classification and reward; a judge error does so only while no judging has succeeded.
 */
export async function addVerdict(trajectoryId: string, verdict: NewVerdict, db: StudioTx = studioDb()): Promise<AddedVerdict> {
  const row = await db.verdict.create({
    data: {
      trajectoryId,
      mode: verdict.mode,
      classification: verdict.classification,
      reward: verdict.reward,
      reasoning: verdict.reasoning ?? "",
      confidence: JSON.stringify(verdict.confidence ?? {}),
      evidence: JSON.stringify(verdict.evidence ?? {}),
      verifierOutput: verdict.verifierOutput ?? "",
      error: verdict.error ?? "",
      llmCallId: verdict.llmCallId ?? null,
    },
  });
  return { verdict: toVerdictView(row), headline: await updateHeadline(trajectoryId, verdict, db) };
}

async function updateHeadline(trajectoryId: string, verdict: NewVerdict, db: StudioTx): Promise<VerdictHeadline> {
  const headline = { verdictClass: true, reward: true } as const;
  const set = (data: VerdictHeadline) => db.trajectory.update({ where: { id: trajectoryId }, data, select: headline });
  if (verdict.classification !== JUDGE_ERROR) return set({ verdictClass: verdict.classification, reward: verdict.reward });
  const current = await db.trajectory.findUniqueOrThrow({
    where: { id: trajectoryId },
    select: { ...headline, verdicts: { where: { classification: { not: JUDGE_ERROR } }, take: 1, select: { id: true } } },
  });
  return current.verdicts.length > 0 ? { verdictClass: current.verdictClass, reward: current.reward } : set({ verdictClass: JUDGE_ERROR, reward: null });
}

export async function getTrajectory(id: string, db: StudioTx = studioDb()): Promise<TrajectoryDetail | undefined> {
  const row = await db.trajectory.findUnique({
    where: { id },
    include: { steps: { orderBy: { ordinal: "asc" } }, verdicts: { orderBy: { createdAt: "desc" } } },
  });
  return row ? { ...toDetailHeader(row), steps: row.steps.map(toStepView) } : undefined;
}

/** The detail without the steps' diffs (the cumulative ones are never read); `getTrajectoryStep` has them. */
export async function getTrajectoryOutline(id: string, db: StudioTx = studioDb()): Promise<TrajectoryOutline | undefined> {
  const row = await db.trajectory.findUnique({
    where: { id },
    include: { steps: { orderBy: { ordinal: "asc" }, omit: { cumulativeDiff: true } }, verdicts: { orderBy: { createdAt: "desc" } } },
  });
  return row ? { ...toDetailHeader(row), steps: row.steps.map(toStepOutline) } : undefined;
}

/** One step with both its diffs, by ordinal. */
export async function getTrajectoryStep(trajectoryId: string, ordinal: number, db: StudioTx = studioDb()): Promise<StepView | undefined> {
  const row = await db.trajectoryStep.findUnique({ where: { trajectoryId_ordinal: { trajectoryId, ordinal } } });
  return row ? toStepView(row) : undefined;
}

/** The raw run JSON kept at import (not part of the detail view: it can be large). */
export async function getTrajectoryRaw(id: string, db: StudioTx = studioDb()): Promise<string | undefined> {
  const row = await db.trajectory.findUnique({ where: { id }, select: { raw: true } });
  return row?.raw;
}

/** What GET /api/trajectories answers. */
export interface TrajectoryList {
  trajectories: TrajectorySummary[];
}

export async function listTrajectories(filters: TrajectoryFilters = {}, db: StudioTx = studioDb()): Promise<TrajectorySummary[]> {
  const where: Prisma.TrajectoryWhereInput = {};
  if (filters.environment) where.environmentName = filters.environment;
  if (filters.taskIdx !== undefined) where.taskIdx = filters.taskIdx;
  if (filters.source) where.source = filters.source;
  if (filters.model) where.model = { contains: filters.model };
  if (filters.verdict === "none") where.verdictClass = null;
  else if (filters.verdict) where.verdictClass = filters.verdict;
  if (filters.minReward !== undefined || filters.maxReward !== undefined) {
    where.reward = { gte: filters.minReward, lte: filters.maxReward };
  }
  if (filters.diverged !== undefined) where.replayStatus = filters.diverged ? "diverged" : { not: "diverged" };
  if (filters.tag) where.tags = tagCondition(filters.tag);
  const dir = filters.dir ?? "desc";
  const orderBy: Prisma.TrajectoryOrderByWithRelationInput[] =
    filters.sort === "reward"
      ? [{ reward: { sort: dir, nulls: "last" } }, { createdAt: "desc" }]
      : filters.sort === "steps"
        ? [{ stepCount: dir }, { createdAt: "desc" }]
        : [{ createdAt: dir }];
  const rows = await db.trajectory.findMany({ where, orderBy, take: filters.limit ?? 500, include: { verdicts: LATEST_VERDICT } });
  return rows.map(toSummary);
}

/** A trajectory as exports read it: the detail's fields, its verdicts, and its steps without their diffs. */
export interface TrajectoryRecord extends Omit<TrajectoryDetail, "steps"> {
  steps: Omit<StepView, "diff" | "cumulativeDiff">[];
}

/**
 * One page of trajectories (of the named environments, or all) in id order, after the id `after`:
 * exports walk every run this way without holding them all.
 */
export async function pageTrajectoryRecords(
  page: { environments?: string[]; after?: string; take: number; /** Agent statuses left out. */ leaveOut?: string[]; /** Only runs with a reward. */ judgedOnly?: boolean },
  db: StudioTx = studioDb(),
): Promise<TrajectoryRecord[]> {
  const rows = await db.trajectory.findMany({
    where: {
      ...(page.environments && { environmentName: { in: page.environments } }),
      ...(page.after && { id: { gt: page.after } }),
      ...(page.leaveOut && { agentStatus: { notIn: page.leaveOut } }),
      ...(page.judgedOnly && { reward: { not: null } }),
    },
    orderBy: { id: "asc" },
    take: page.take,
    include: { steps: { orderBy: { ordinal: "asc" }, omit: { diff: true, cumulativeDiff: true } }, verdicts: { orderBy: { createdAt: "desc" } } },
  });
  return rows.map((row) => ({ ...toDetailHeader(row), steps: row.steps.map(toStepFields) }));
}

/** Deletes the trajectory and its folder; an id no row has is a 404 and touches no file. */
export async function deleteTrajectory(id: string, db: StudioTx = studioDb()): Promise<void> {
  const { count } = await db.trajectory.deleteMany({ where: { id } });
  if (count === 0) throw new UnknownTrajectoryError(id);
  fs.rmSync(trajectoryDir(id), { recursive: true, force: true });
}

function stepData(step: NewStep) {
  return {
    role: step.role,
    content: step.content ?? "",
    toolCallId: step.toolCallId ?? null,
    toolName: step.toolName ?? null,
    toolArguments: step.toolArguments === undefined ? null : stringifyExactJson(step.toolArguments),
    toolResponse: step.toolResponse ?? null,
    isError: step.isError ?? false,
    isFinal: step.isFinal ?? false,
    malformed: step.malformed ?? false,
    diff: step.diff ? JSON.stringify(step.diff) : "",
    cumulativeDiff: step.cumulativeDiff ? JSON.stringify(step.cumulativeDiff) : "",
    durationMs: step.durationMs ?? null,
    skipped: step.skipped ?? false,
    llmCallId: step.llmCallId ?? null,
    promptTokens: step.promptTokens ?? null,
    completionTokens: step.completionTokens ?? null,
    latencyMs: step.latencyMs ?? null,
  };
}

const JUDGE_ERROR = "judge_error";
const LATEST_VERDICT = { orderBy: { createdAt: "desc" }, take: 1, select: { mode: true, classification: true, error: true } } as const;

/** `verdicts` newest first (all of them, or only the latest). */
function toSummary(row: Trajectory & { verdicts: Pick<Verdict, "mode" | "classification" | "error">[] }): TrajectorySummary {
  const latest = row.verdicts[0];
  return {
    id: row.id,
    environmentName: row.environmentName,
    taskIdx: row.taskIdx,
    task: row.task,
    source: row.source as TrajectorySource,
    model: row.model,
    importedFrom: row.importedFrom,
    stepCount: row.stepCount,
    replayStatus: row.replayStatus as ReplayStatus,
    agentStatus: row.agentStatus as AgentStatus,
    infraError: row.infraError,
    jobId: row.jobId,
    rollout: row.rollout,
    verdictClass: row.verdictClass,
    reward: row.reward,
    judgeError: latest?.classification === JUDGE_ERROR ? { mode: latest.mode as VerifierMode, error: latest.error } : null,
    tags: parseTags(row.tags),
    reviewNote: row.reviewNote,
    createdAt: row.createdAt.toISOString(),
  };
}

function toDetailHeader(row: Trajectory & { verdicts: Verdict[] }): Omit<TrajectoryDetail, "steps"> {
  return {
    ...toSummary(row),
    finalAnswer: row.finalAnswer,
    initialDbFile: row.initialDbFile,
    finalDbFile: row.finalDbFile,
    replayFinalDiff: parseDiff(row.replayFinalDiff),
    replayError: row.replayError,
    verdicts: row.verdicts.map(toVerdictView),
  };
}

function toStepView(row: TrajectoryStep): StepView {
  return { ...toStepFields(row), diff: parseDiff(row.diff), cumulativeDiff: parseDiff(row.cumulativeDiff) };
}

function toStepOutline(row: Omit<TrajectoryStep, "cumulativeDiff">): StepOutline {
  const diff = parseDiff(row.diff);
  return { ...toStepFields(row), changedRows: diff ? countChangedRows(diff) : null };
}

function toStepFields(row: Omit<TrajectoryStep, "diff" | "cumulativeDiff">): Omit<StepView, "diff" | "cumulativeDiff"> {
  return {
    id: row.id,
    ordinal: row.ordinal,
    role: row.role,
    content: row.content,
    toolCallId: row.toolCallId,
    toolName: row.toolName,
    toolArguments: row.toolArguments === null ? undefined : parseExactJson(row.toolArguments),
    toolResponse: row.toolResponse,
    isError: row.isError,
    isFinal: row.isFinal,
    malformed: row.malformed,
    durationMs: row.durationMs,
    skipped: row.skipped,
    llmCallId: row.llmCallId,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    latencyMs: row.latencyMs,
  };
}

function toVerdictView(row: Verdict): VerdictView {
  return {
    id: row.id,
    trajectoryId: row.trajectoryId,
    mode: row.mode as VerifierMode,
    classification: row.classification,
    reward: row.reward,
    reasoning: row.reasoning,
    confidence: JSON.parse(row.confidence) as Record<string, number>,
    evidence: JSON.parse(row.evidence) as unknown,
    verifierOutput: row.verifierOutput,
    error: row.error,
    llmCallId: row.llmCallId,
    createdAt: row.createdAt.toISOString(),
  };
}

function parseDiff(text: string): DbDiff | null {
  return text ? (JSON.parse(text) as DbDiff) : null;
}
