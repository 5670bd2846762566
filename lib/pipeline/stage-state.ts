/**
 * Where each stage of an environment stands, for the Pipeline tab. Staleness is derived, never
 * stored: an artifact is stale when an upstream artifact holds other content now than when the
 * artifact was made (a revert to the content it was made from is no change).
 */
import { PIPELINE_STAGES, type IssueLocation, type PipelineStage } from "../awm/types.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { parseCheckResult } from "./stage-loop.ts";
import { upstreamStages } from "./stages.ts";

export type StageStateName = "pending" | "running" | "passed" | "failed" | "stale";

export interface CurrentVersion {
  key: string;
  version: number;
  origin: string;
  createdAt: string;
  /** Every version's content hash and creation time, oldest first (the last is this one). */
  history: { contentHash: string; createdAt: number }[];
}

export interface AttemptView {
  attempt: number;
  passed: boolean;
  /** The model call failed (its endpoint, not its answer): nothing was checked. */
  modelFailed: boolean;
  errors: string[];
  /** The check's doubts that did not fail it. */
  warnings: string[];
  feedback?: string;
  llmCallId: string | null;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  createdAt: string;
}

export interface RunView {
  stageRunId: string;
  key: string;
  status: string;
  attempts: AttemptView[];
}

export interface StageState {
  stage: PipelineStage;
  state: StageStateName;
  /** Current version of a single-artifact stage (null for verifiers and when there is none). */
  version: number | null;
  /** Current version of every artifact of the stage (one per verifier key). */
  current: CurrentVersion[];
  /** Why it is stale: the upstream artifact that is newer. */
  staleBecause?: string;
  /** Errors validation finds in the stage's current artifacts ("where: message"); they make it failed. */
  problems: string[];
  /** The table of its first problem that names one: where its editor opens. */
  problemTable?: string;
  /** The StageRuns of the latest job that ran this stage for this environment. */
  latestRun?: { jobId: string | null; createdAt: string; runs: RunView[] };
}

/** What GET /api/environments/{name}/pipeline answers. */
export interface PipelineStages {
  stages: StageState[];
}

export async function stageStates(environmentName: string, db: StudioTx = studioDb()): Promise<StageState[]> {
  const environment = await loadEnvironment(environmentName, {}, db);
  const current = await currentVersions(environment.id, db);
  const confirmed = await confirmations(environmentName, db);
  const problems = await problemsByStage(environment.id, db);
  return Promise.all(PIPELINE_STAGES.map((stage) => stageState(environmentName, stage, current, confirmed, problems.get(stage) ?? { messages: [] }, db)));
}

async function stageState(
  environmentName: string,
  stage: PipelineStage,
  current: Map<PipelineStage, CurrentVersion[]>,
  confirmed: Map<string, number>,
  { messages: problems, table: problemTable }: StageProblems,
  db: StudioTx,
): Promise<StageState> {
  const own = current.get(stage) ?? [];
  const latestRun = await latestRunOf(environmentName, stage, db);
  const base = { stage, version: stage === "verifier" ? null : (own[0]?.version ?? null), current: own, problems, ...(problemTable && { problemTable }), ...(latestRun && { latestRun: latestRun.view }) };
  if (latestRun?.running) return { ...base, state: "running" };
  const newestOwn = Math.max(0, ...own.map((artifact) => Date.parse(artifact.createdAt)));
  if (latestRun?.failedAt !== undefined && latestRun.failedAt > newestOwn) return { ...base, state: "failed" };
  if (own.length === 0) return { ...base, state: "pending" };
  // The current artifacts do not pass their check (imported broken, or edited into a broken state).
  if (problems.length > 0) return { ...base, state: "failed" };
  // A regeneration that produced the same content adds no version but confirms the current one.
  const freshAt = (artifact: CurrentVersion) => Math.max(Date.parse(artifact.createdAt), confirmed.get(`${stage}/${artifact.key}/${artifact.version}`) ?? 0);
  const oldestOwn = Math.min(...own.map(freshAt));
  for (const upstream of upstreamStages(stage)) {
    const changed = (current.get(upstream) ?? []).find((artifact) => changedSince(artifact, oldestOwn));
    if (changed) return { ...base, state: "stale", staleBecause: `${upstream}${changed.key ? ` ${changed.key}` : ""} v${changed.version} (${changed.origin}, ${changed.createdAt}) is newer` };
  }
  return { ...base, state: "passed" };
}

/** Whether the artifact's content now differs from its content at `at` (absent then counts as different). */
function changedSince(artifact: CurrentVersion, at: number): boolean {
  const then = artifact.history.findLast((version) => version.createdAt <= at);
  return then?.contentHash !== artifact.history.at(-1)?.contentHash;
}

interface StageProblems {
  messages: string[];
  /** The table of the first problem that names one. */
  table?: string;
}

/** The environment's error-severity validation issues, by the stage they belong to. */
async function problemsByStage(environmentId: string, db: StudioTx): Promise<Map<string, StageProblems>> {
  const issues = await db.validationIssue.findMany({ where: { environmentId, severity: "error" }, orderBy: { ordinal: "asc" } });
  const byStage = new Map<string, StageProblems>();
  for (const issue of issues) {
    const problems = byStage.get(issue.stage) ?? { messages: [] };
    problems.messages.push(`${issue.where}: ${issue.message}`);
    problems.table ??= issueTable(issue.location);
    byStage.set(issue.stage, problems);
  }
  return byStage;
}

function issueTable(location: string): string | undefined {
  try {
    const table = (JSON.parse(location) as IssueLocation).table;
    return typeof table === "string" && table ? table : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A StageRun of no job that records a person's check of a version passing against the inputs then
 * current (recheckArtifact): it confirms the version as a regeneration of the same content does, and
 * is no run of the stage (latestRunOf leaves it out).
 */
export const CONFIRMED = "confirmed";

/** When a passed StageRun last produced each artifact version, or a passing check confirmed it: "stage/key/version" → time. */
async function confirmations(environmentName: string, db: StudioTx): Promise<Map<string, number>> {
  const runs = await db.stageRun.findMany({
    where: { environmentName, status: { in: ["passed", CONFIRMED] }, artifactVersion: { not: null } },
    select: { stage: true, key: true, artifactVersion: true, updatedAt: true },
  });
  const confirmed = new Map<string, number>();
  for (const run of runs) {
    const id = `${run.stage}/${run.key}/${run.artifactVersion}`;
    confirmed.set(id, Math.max(confirmed.get(id) ?? 0, run.updatedAt.getTime()));
  }
  return confirmed;
}

async function currentVersions(environmentId: string, db: StudioTx): Promise<Map<PipelineStage, CurrentVersion[]>> {
  const rows = await db.artifactVersion.findMany({
    where: { environmentId },
    orderBy: [{ kind: "asc" }, { key: "asc" }, { version: "asc" }],
    select: { kind: true, key: true, version: true, origin: true, createdAt: true, contentHash: true },
  });
  const byStage = new Map<PipelineStage, CurrentVersion[]>();
  const byArtifact = new Map<string, CurrentVersion>();
  for (const row of rows) {
    const id = `${row.kind}/${row.key}`;
    const history = byArtifact.get(id)?.history ?? [];
    history.push({ contentHash: row.contentHash, createdAt: row.createdAt.getTime() });
    byArtifact.set(id, { key: row.key, version: row.version, origin: row.origin, createdAt: row.createdAt.toISOString(), history });
  }
  for (const [id, artifact] of byArtifact) {
    const stage = id.slice(0, id.indexOf("/")) as PipelineStage;
    byStage.set(stage, [...(byStage.get(stage) ?? []), artifact]);
  }
  return byStage;
}

async function latestRunOf(environmentName: string, stage: PipelineStage, db: StudioTx) {
  const latest = await db.stageRun.findFirst({ where: { environmentName, stage, status: { not: CONFIRMED } }, orderBy: { createdAt: "desc" }, include: { job: { select: { status: true } } } });
  if (!latest) return undefined;
  const runs = await db.stageRun.findMany({
    where: latest.jobId ? { environmentName, stage, jobId: latest.jobId } : { id: latest.id },
    orderBy: { key: "asc" },
    include: { stageAttempts: { orderBy: { attempt: "asc" } } },
  });
  const failed = runs.filter((run) => run.status === "failed");
  const jobRunning = latest.job ? latest.job.status === "running" : false;
  return {
    running: jobRunning && runs.some((run) => run.status === "running"),
    failedAt: failed.length > 0 ? Math.max(...failed.map((run) => run.updatedAt.getTime())) : undefined,
    view: {
      jobId: latest.jobId,
      createdAt: latest.createdAt.toISOString(),
      runs: runs.map((run) => ({
        stageRunId: run.id,
        key: run.key,
        status: run.status,
        attempts: run.stageAttempts.map((attempt) => {
          const check = parseCheckResult(attempt.checkResult);
          return {
            attempt: attempt.attempt,
            passed: attempt.passed,
            modelFailed: check.modelFailed === true,
            errors: check.errors.length > 0 ? check.errors : attempt.error ? [attempt.error] : [],
            warnings: check.warnings ?? [],
            ...(check.feedback !== undefined && { feedback: check.feedback }),
            llmCallId: attempt.llmCallId,
            promptTokens: attempt.promptTokens,
            completionTokens: attempt.completionTokens,
            latencyMs: attempt.latencyMs,
            createdAt: attempt.createdAt.toISOString(),
          };
        }),
      })),
    },
  };
}
