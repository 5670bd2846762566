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
}

export interface LlmCallDetail extends LlmCallSummary {
  baseUrl: string;
  /** What was sent: { retry, role, timeoutMs, body }. */
  request: unknown;
  /** The endpoint's JSON answer, or "" when it failed. */
  response: unknown;
  /** What the call was for: an agent step it answered (its ordinal) or a verdict it judged (no ordinal). Empty for the pipeline's calls. */
  usedBy: { trajectoryId: string; ordinal: number | null }[];
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
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}

export async function getLlmCall(id: string, db: StudioTx = studioDb()): Promise<LlmCallDetail | undefined> {
  const row = await db.llmCall.findUnique({ where: { id } });
  if (!row) return undefined;
  const [steps, verdicts] = await Promise.all([
    db.trajectoryStep.findMany({ where: { llmCallId: id }, select: { trajectoryId: true, ordinal: true } }),
    db.verdict.findMany({ where: { llmCallId: id }, select: { trajectoryId: true } }),
  ]);
  return {
    ...row,
    usedBy: [...steps, ...verdicts.map(({ trajectoryId }) => ({ trajectoryId, ordinal: null }))],
    createdAt: row.createdAt.toISOString(),
    request: parseOrText(row.request),
    response: row.response === "" ? "" : parseOrText(row.response),
  };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
