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
  /** A person's review tags, as stored (JSON text, see review-tags.ts). */
  tags: string;
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
  /**
   * Whether what a task depends on (its own text, its verifiers, every other artifact but other
   * tasks' text and verifiers) holds other content now than it did at `at`: evidence from then is stale.
   */
  changedSince(environmentId: string, taskIdx: number, at: Date): boolean;
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
    // Every version's fingerprint, and the tasks' own text: evidence is stale by content, not by the date of an edit.
    db.artifactVersion.findMany({ where: { environment }, select: { id: true, environmentId: true, kind: true, key: true, contentHash: true, createdAt: true }, orderBy: { version: "asc" } }),
    db.trajectory.findMany({
      where: finished,
      select: { id: true, environmentName: true, taskIdx: true, task: true, source: true, verdictClass: true, reward: true, createdAt: true, jobId: true, tags: true },
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
    changedSince: artifactHistory(artifacts, await taskTextsByVersion(artifacts, db)),
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

interface VersionRow {
  id: string;
  environmentId: string;
  kind: string;
  key: string;
  contentHash: string;
  createdAt: Date;
}

/** The task texts of every version of the tasks artifacts among `rows`, by version id. */
async function taskTextsByVersion(rows: VersionRow[], db: StudioTx): Promise<Map<string, string[]>> {
  const ids = rows.filter((row) => row.kind === "tasks").map((row) => row.id);
  const contents = ids.length === 0 ? [] : await db.artifactVersion.findMany({ where: { id: { in: ids } }, select: { id: true, content: true } });
  return new Map(contents.map((row) => [row.id, parsedTasks(row.content)]));
}

/**
 * For each environment, each artifact's versions in order, each with its fingerprint for a task:
 * the tasks artifact's fingerprint is that task's own text (editing one task leaves the others'
 * evidence current); a verifier counts for its own task only; every other artifact is the same for all.
 * Comparing fingerprints at a time with now makes a revert to identical content no change.
 */
function artifactHistory(rows: VersionRow[], taskTexts: Map<string, string[]>): EvidenceRows["changedSince"] {
  const histories = new Map<string, VersionRow[][]>();
  for (const [environmentId, versions] of groupBy(rows, (row) => row.environmentId)) {
    histories.set(environmentId, [...groupBy(versions, (row) => `${row.kind}\t${row.key}`).values()]);
  }
  const fingerprint = (row: VersionRow | undefined, taskIdx: number): string => {
    if (row === undefined) return "";
    return row.kind === "tasks" ? (taskTexts.get(row.id)?.[taskIdx] ?? "") : row.contentHash;
  };
  return (environmentId, taskIdx, at) =>
    (histories.get(environmentId) ?? []).some((history) => {
      const first = history[0]!;
      if (first.kind === "verifier" && Number(first.key.slice(first.key.indexOf(":") + 1)) !== taskIdx) return false;
      const then = history.findLast((row) => row.createdAt.getTime() <= at.getTime());
      return fingerprint(then, taskIdx) !== fingerprint(history.at(-1), taskIdx);
    });
}

/** A tasks artifact's task texts; none when it does not parse (its fingerprint is then empty for every task). */
function parsedTasks(content: string): string[] {
  try {
    const tasks = (JSON.parse(content) as { tasks?: unknown }).tasks;
    return Array.isArray(tasks) ? tasks.map((task) => (typeof task === "string" ? task : JSON.stringify(task))) : [];
  } catch {
    return [];
  }
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
