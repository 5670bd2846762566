/** The recorded LLM calls: a summary list (newest first) and one call in full. */
import { studioDb, type StudioTx } from "../store/db.ts";

export interface LlmCallSummary {
  id: string;
  stage: string;
  scenario: string;
  attempt: number;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  error: string;
  createdAt: string;
  /** What the call was for: an agent step it answered, a verdict it judged, or a pipeline stage's attempt it was asked for. */
  usedBy: LlmCallUse[];
}

/** An agent step a call answered (`ordinal` set) or a verdict it judged (`ordinal` null), with the trajectory's task and rollout. */
export interface TrajectoryUse {
  kind: "trajectory";
  trajectoryId: string;
  ordinal: number | null;
  taskIdx: number | null;
  /** The rollout's index in its task's group; null outside a rollout job. */
  rollout: number | null;
}

/** A pipeline stage's attempt the call was asked for (the error summary fed to the next attempt is not one). */
export interface AttemptUse {
  kind: "attempt";
  /** "" for a gen job's scenario batch, which belongs to no environment yet. */
  environment: string;
  stage: string;
  key: string;
  attempt: number;
  jobId: string | null;
}

export type LlmCallUse = TrajectoryUse | AttemptUse;

export interface LlmCallDetail extends LlmCallSummary {
  baseUrl: string;
  /** What was sent: { retry, role, timeoutMs, body }. */
  request: unknown;
  /** The endpoint's JSON answer, or "" when it failed. */
  response: unknown;
}

export interface LlmCallFilters {
  stage?: string;
  scenario?: string;
  failed?: boolean;
  limit?: number;
}

const SUMMARY_FIELDS = {
  id: true,
  stage: true,
  scenario: true,
  attempt: true,
  model: true,
  promptTokens: true,
  completionTokens: true,
  latencyMs: true,
  error: true,
  createdAt: true,
} as const;

export async function listLlmCalls(filters: LlmCallFilters = {}, db: StudioTx = studioDb()): Promise<LlmCallSummary[]> {
  const rows = await db.llmCall.findMany({
    where: {
      ...(filters.stage ? { stage: filters.stage } : {}),
      ...(filters.scenario ? { scenario: { contains: filters.scenario } } : {}),
      ...(filters.failed === undefined ? {} : filters.failed ? { error: { not: "" } } : { error: "" }),
    },
    orderBy: { createdAt: "desc" },
    take: filters.limit ?? 200,
    select: SUMMARY_FIELDS,
  });
  const uses = await usesOf(rows.map((row) => row.id), db);
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), usedBy: uses.get(row.id) ?? [] }));
}

/** The stages calls were made for, with how many each: what the list can be filtered by. */
export async function llmCallStages(db: StudioTx = studioDb()): Promise<{ stage: string; calls: number }[]> {
  const rows = await db.llmCall.groupBy({ by: ["stage"], _count: { _all: true }, orderBy: { stage: "asc" } });
  return rows.map((row) => ({ stage: row.stage, calls: row._count._all }));
}

export async function getLlmCall(id: string, db: StudioTx = studioDb()): Promise<LlmCallDetail | undefined> {
  const row = await db.llmCall.findUnique({ where: { id } });
  if (!row) return undefined;
  const uses = await usesOf([id], db);
  return {
    ...row,
    usedBy: uses.get(id) ?? [],
    createdAt: row.createdAt.toISOString(),
    request: parseOrText(row.request),
    response: row.response === "" ? "" : parseOrText(row.response),
  };
}

/** The steps, verdicts and stage attempts that link to each of these calls (each is indexed by its call). */
async function usesOf(ids: string[], db: StudioTx): Promise<Map<string, LlmCallUse[]>> {
  const trajectory = { select: { taskIdx: true, rollout: true } } as const;
  const [steps, verdicts, attempts] = await Promise.all([
    db.trajectoryStep.findMany({ where: { llmCallId: { in: ids } }, orderBy: [{ trajectoryId: "asc" }, { ordinal: "asc" }], select: { llmCallId: true, trajectoryId: true, ordinal: true, trajectory } }),
    db.verdict.findMany({ where: { llmCallId: { in: ids } }, orderBy: { createdAt: "asc" }, select: { llmCallId: true, trajectoryId: true, trajectory } }),
    db.stageAttempt.findMany({ where: { llmCallId: { in: ids } }, select: { llmCallId: true, attempt: true, stageRun: { select: { environmentName: true, stage: true, key: true, jobId: true } } } }),
  ]);
  const uses = new Map<string, LlmCallUse[]>();
  const add = (callId: string | null, use: LlmCallUse) => {
    if (callId === null) return;
    const list = uses.get(callId) ?? [];
    list.push(use);
    uses.set(callId, list);
  };
  for (const step of steps) add(step.llmCallId, { kind: "trajectory", trajectoryId: step.trajectoryId, ordinal: step.ordinal, ...step.trajectory });
  for (const verdict of verdicts) add(verdict.llmCallId, { kind: "trajectory", trajectoryId: verdict.trajectoryId, ordinal: null, ...verdict.trajectory });
  for (const { llmCallId, attempt, stageRun } of attempts) {
    add(llmCallId, { kind: "attempt", environment: stageRun.environmentName, stage: stageRun.stage, key: stageRun.key, attempt, jobId: stageRun.jobId });
  }
  return uses;
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
