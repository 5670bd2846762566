/**
 * The records a task status rests on, for a whole library (or the named environments) in a few
 * set-based queries, indexed for lookup by environment and task.
 */
import type { DbDiff } from "../diff/sqlite-diff.ts";
import { parseExactJson } from "../json/exact-json.ts";
import type { StudioTx } from "../store/db.ts";
import { isEmptyDiff } from "../trajectories/diff-shape.ts";

export interface RunRow {
  id: string;
  task: string;
  source: string;
  verdictClass: string | null;
  reward: number | null;
  createdAt: Date;
  jobId: string | null;
}

export interface CheckRow {
  mode: string;
  status: "ok" | "broken" | "suspicious";
  output: string;
  error: string;
  createdAt: Date;
}

export interface MarkRow {
  kind: string;
  trajectoryId: string | null;
  note: string;
  createdAt: Date;
}

export interface OperationIssue {
  stage: string;
  severity: string;
  where: string;
  message: string;
}

export interface EvidenceRows {
  /** Epoch ms of the newest current artifact a task depends on (everything but other tasks' verifiers). */
  artifactsAt(environmentId: string, taskIdx: number): number;
  /** "<env name>/<taskIdx>" → finished runs, oldest first. */
  runs: Map<string, RunRow[]>;
  /** "<env id>/<taskIdx>" → the last verifier-health check of each of the task's verifiers. */
  checks: Map<string, CheckRow[]>;
  /** "<env name>/<taskIdx>" → the task's latest mark. */
  marks: Map<string, MarkRow>;
  /** Passing runs whose recorded tool steps all changed nothing. */
  unchanged: Set<string>;
  /** Run id → its calls the environment answered with a 5xx. */
  serverErrors: Map<string, { tool: string; response: string }[]>;
  /** Run id → the operations it called that validation found a problem with. */
  problemCalls: Map<string, string[]>;
  /** "<env id>/<operationId>" → validation issues naming that operation. */
  operationIssues: Map<string, OperationIssue[]>;
}

const RESPONSE_KEPT = 2_000;

export async function readEvidenceRows(envNames: string[] | undefined, db: StudioTx): Promise<EvidenceRows> {
  const environmentName = envNames ? { in: envNames } : undefined;
  const environment = envNames ? { name: { in: envNames } } : undefined;
  const finished = { environmentName, taskIdx: { not: null }, agentStatus: { notIn: ["running", "infra_failure"] } };
  const [artifacts, runs, checks, marks, issues, passingSteps, serverErrorSteps] = await Promise.all([
    db.artifactVersion.groupBy({ by: ["environmentId", "kind", "key"], where: { environment }, _max: { createdAt: true } }),
    db.trajectory.findMany({
      where: finished,
      select: { id: true, environmentName: true, taskIdx: true, task: true, source: true, verdictClass: true, reward: true, createdAt: true, jobId: true },
      orderBy: { createdAt: "asc" },
    }),
    db.verifierHealthCheck.findMany({ where: { environment }, orderBy: { createdAt: "asc" } }),
    db.taskMark.findMany({ where: { environmentName }, orderBy: { createdAt: "asc" } }),
    db.validationIssue.findMany({ where: { environment, location: { contains: '"operationId"' } }, select: { environmentId: true, stage: true, severity: true, where: true, message: true, location: true } }),
    db.trajectoryStep.findMany({ where: { toolName: { not: null }, skipped: false, trajectory: { ...finished, reward: { gte: 1 } } }, select: { trajectoryId: true, diff: true } }),
    db.trajectoryStep.findMany({ where: { toolResponse: { startsWith: "HTTP 5" }, trajectory: finished }, select: { trajectoryId: true, toolName: true, toolResponse: true }, orderBy: { ordinal: "asc" } }),
  ]);

  const operationIssues = new Map<string, OperationIssue[]>();
  for (const row of issues.filter(blocksOperation)) {
    const operationId = (parseExactJson(row.location) as { operationId?: unknown }).operationId;
    if (typeof operationId !== "string") continue;
    push(operationIssues, `${row.environmentId}/${operationId}`, { stage: row.stage, severity: row.severity, where: row.where, message: row.message });
  }
  const operations = [...new Set([...operationIssues.keys()].map((key) => key.slice(key.indexOf("/") + 1)))];
  const problemSteps = operations.length === 0 ? [] : await db.trajectoryStep.findMany({ where: { toolName: { in: operations }, trajectory: finished }, select: { trajectoryId: true, toolName: true } });

  return {
    artifactsAt: artifactClock(artifacts),
    runs: groupBy(runs, (run) => `${run.environmentName}/${run.taskIdx}`),
    checks: groupBy(checks as (CheckRow & { environmentId: string; taskIdx: number })[], (check) => `${check.environmentId}/${check.taskIdx}`),
    marks: new Map(marks.map((mark) => [`${mark.environmentName}/${mark.taskIdx}`, mark])),
    unchanged: unchangedRuns(passingSteps),
    serverErrors: groupBy(
      serverErrorSteps.map((step) => ({ trajectoryId: step.trajectoryId, tool: step.toolName ?? "(no tool)", response: (step.toolResponse ?? "").slice(0, RESPONSE_KEPT) })),
      (step) => step.trajectoryId,
    ),
    problemCalls: groupBy(
      [...new Set(problemSteps.map((step) => JSON.stringify([step.trajectoryId, step.toolName ?? ""])))].map((pair) => JSON.parse(pair) as [string, string]),
      ([trajectoryId]) => trajectoryId,
      ([, tool]) => tool,
    ),
    operationIssues,
  };
}

/** An issue that keeps an operation from being served as declared: an unreachable (shadowed) route, or a spec operation the code lacks. */
function blocksOperation(row: { severity: string; message: string }): boolean {
  return row.severity === "error" || /is in the spec but not in the code/.test(row.message);
}

/** Runs with at least one recorded diff, every one of them empty. Runs without diffs (imported, not replayed) are unknown, so not listed. */
function unchangedRuns(steps: { trajectoryId: string; diff: string }[]): Set<string> {
  const changed = new Set<string>();
  const recorded = new Set<string>();
  for (const step of steps) {
    if (!step.diff) continue;
    recorded.add(step.trajectoryId);
    if (!isEmptyDiff(parseExactJson(step.diff) as DbDiff)) changed.add(step.trajectoryId);
  }
  return new Set([...recorded].filter((id) => !changed.has(id)));
}

function artifactClock(rows: { environmentId: string; kind: string; key: string; _max: { createdAt: Date | null } }[]): EvidenceRows["artifactsAt"] {
  const shared = new Map<string, number>();
  const verifiers = new Map<string, number>();
  for (const row of rows) {
    const at = row._max.createdAt?.getTime() ?? 0;
    if (row.kind === "verifier") {
      const key = `${row.environmentId}/${row.key.slice(row.key.indexOf(":") + 1)}`;
      verifiers.set(key, Math.max(verifiers.get(key) ?? 0, at));
    } else shared.set(row.environmentId, Math.max(shared.get(row.environmentId) ?? 0, at));
  }
  return (environmentId, taskIdx) => Math.max(shared.get(environmentId) ?? 0, verifiers.get(`${environmentId}/${taskIdx}`) ?? 0);
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function groupBy<T, V = T>(items: T[], keyOf: (item: T) => string, valueOf: (item: T) => V = (item) => item as unknown as V): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const item of items) push(map, keyOf(item), valueOf(item));
  return map;
}
