/**
 * Every task's status with the evidence it rests on (rules in status-rules.ts), recomputed from the
 * current records on every call: runs and their verdicts, the last verifier-health check (the no-op
 * run), validation issues, rollout groups and people's marks. A handful of set-based queries for
 * the whole library, never one per task.
 */
import { parseTags, verdictDistrusted, VERIFIER_WRONG } from "../trajectories/review-tags.ts";
import { NotFoundError } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { VISIBLE } from "../store/environments.ts";
import { SUCCESS_REWARD } from "../agent/stats.ts";
import { taskIntent } from "../verify/task-intent.ts";
import { readEvidenceRows, type EvidenceRows } from "./evidence-rows.ts";
import { decideStatus, type EnvironmentTaskStatuses, type TaskEvidence, type TaskStatus, type TaskStatusEntry } from "./status-rules.ts";

export type { EnvironmentTaskStatuses, TaskEvidence, TaskStatus, TaskStatusEntry } from "./status-rules.ts";

/** Every visible environment (or those named, in the order named), each task with its status. */
export async function taskStatuses(envNames?: string[], db: StudioTx = studioDb()): Promise<EnvironmentTaskStatuses[]> {
  const environments = await db.environment.findMany({
    where: { ...VISIBLE, ...(envNames && { name: { in: envNames } }) },
    select: { id: true, name: true, taskCount: true },
    orderBy: { name: "asc" },
  });
  const missing = envNames?.filter((name) => !environments.some((environment) => environment.name === name)) ?? [];
  if (missing.length > 0) throw new NotFoundError(`no environment named ${missing.map((name) => `"${name}"`).join(", ")}`);
  const rows = await readEvidenceRows(envNames, db);
  const ordered = envNames ? envNames.map((name) => environments.find((environment) => environment.name === name)!) : environments;
  return ordered.map((environment) => ({
    name: environment.name,
    tasks: Array.from({ length: environment.taskCount }, (_, taskIdx) => taskEntry(rows, environment, taskIdx)),
  }));
}

/** Per environment name, how many of its tasks have each status (statuses no task has are left out). */
export async function taskStatusCounts(db: StudioTx = studioDb()): Promise<Record<string, Partial<Record<TaskStatus, number>>>> {
  const counts: Record<string, Partial<Record<TaskStatus, number>>> = {};
  for (const environment of await taskStatuses(undefined, db)) {
    const own: Partial<Record<TaskStatus, number>> = {};
    for (const task of environment.tasks) own[task.status] = (own[task.status] ?? 0) + 1;
    counts[environment.name] = own;
  }
  return counts;
}

function taskEntry(rows: EvidenceRows, environment: { id: string; name: string }, taskIdx: number): TaskStatusEntry {
  const staleAt = (at: Date) => rows.changedSince(environment.id, taskIdx, at);
  const runs = rows.runs.get(`${environment.name}/${taskIdx}`) ?? [];
  const evidence: TaskEvidence[] = [];

  for (const check of rows.checks.get(`${environment.id}/${taskIdx}`) ?? []) {
    const said = check.error ? `fails: ${headline(check.error)}` : `says ${check.output || "nothing"}`;
    const meaning = { ok: "it does not reward doing nothing", broken: "it can never reward anyone", suspicious: "it rewards doing nothing" }[check.status];
    evidence.push({ kind: "no-op", at: iso(check.createdAt), stale: staleAt(check.createdAt), mode: check.mode, health: check.status, detail: check.error || check.output, summary: `no-op run: the ${check.mode} verifier on (seed, seed) ${said}; ${meaning}` });
  }

  const groups = new Map<string, { n: number; successes: number; at: Date; stale: boolean }>();
  for (const run of runs) {
    const passed = (run.reward ?? 0) >= SUCCESS_REWARD;
    const readOnly = passed && taskIntent(run.task) === "change" && rows.unchanged.has(run.id);
    // A reviewer's "reward hacking" or "verifier wrong" on a passing run: its pass proves nothing but a verifier that can be fooled.
    const distrusted = passed && verdictDistrusted(parseTags(run.tags));
    const disputed = !passed && run.reward !== null && parseTags(run.tags).includes(VERIFIER_WRONG);
    const verdict = run.verdictClass ?? "no verdict";
    if (run.jobId) {
      const group = groups.get(run.jobId) ?? { n: 0, successes: 0, at: run.createdAt, stale: false };
      group.n += 1;
      group.successes += passed ? 1 : 0;
      group.stale ||= staleAt(run.createdAt);
      groups.set(run.jobId, group);
    }
    if (!run.jobId || readOnly || distrusted || disputed) {
      const what = disputed
        ? `failed (${verdict}), but a reviewer tagged it "${VERIFIER_WRONG}": the verifier fails a run that does the task`
        : readOnly
        ? `passed (${verdict}) without changing a row, though the task asks for a change`
        : distrusted
          ? `passed (${verdict}), but a reviewer tagged it ${parseTags(run.tags).filter((tag) => verdictDistrusted([tag])).map((tag) => `"${tag}"`).join(" and ")}`
          : passed
            ? `passed (${verdict})`
            : `failed (${verdict})`;
      evidence.push({ kind: "run", at: iso(run.createdAt), stale: staleAt(run.createdAt), trajectoryId: run.id, source: run.source, verdict: run.verdictClass, reward: run.reward, passed, readOnly, distrusted, disputed, summary: `${run.source} run ${run.id} ${what}` });
    }
    if (passed) continue;
    for (const call of rows.serverErrors.get(run.id) ?? []) {
      evidence.push({ kind: "server-error", at: iso(run.createdAt), stale: staleAt(run.createdAt), trajectoryId: run.id, tool: call.tool, response: call.response, summary: `run ${run.id}: the environment answered ${firstLine(call.response)} on ${call.tool}` });
    }
    for (const call of rows.problemCalls.get(run.id) ?? []) {
      for (const found of rows.operationIssues.get(`${environment.id}/${call}`) ?? []) {
        evidence.push({ kind: "issue", at: iso(run.createdAt), stale: staleAt(run.createdAt), trajectoryId: run.id, tool: call, ...found, summary: `run ${run.id} called ${call}: ${found.message}` });
      }
    }
  }
  for (const [jobId, group] of groups) {
    const what = group.successes === group.n ? "all passed" : group.successes === 0 ? "all failed" : `${group.successes} passed`;
    evidence.push({ kind: "rollout-group", at: iso(group.at), stale: group.stale, jobId, n: group.n, successes: group.successes, summary: `rollout job ${jobId}: ${group.n} rollouts, ${what}` });
  }

  const mark = rows.marks.get(`${environment.name}/${taskIdx}`);
  if (mark && mark.kind !== "cleared") {
    const reference = mark.kind === "reference" ? runs.find((run) => run.id === mark.trajectoryId) : undefined;
    // A reference its verifier has failed since (judged after the mark, or marked before such marks were refused) no longer counts.
    const failedSince = reference !== undefined && reference.reward !== null && reference.reward < SUCCESS_REWARD;
    const stale = failedSince || staleAt(reference?.createdAt ?? mark.createdAt);
    const summary =
      mark.kind === "reference"
        ? `marked by a person: run ${mark.trajectoryId ?? "?"} is the reference run${failedSince ? `, but its verifier has failed it (${reference.verdictClass ?? "no verdict"}): the mark no longer counts` : ""}`
        : `marked unsolvable by a person${mark.note ? `: ${mark.note}` : ""}`;
    evidence.push({ kind: "mark", at: iso(mark.createdAt), stale, mark: mark.kind === "reference" ? "reference" : "unsolvable", note: mark.note, trajectoryId: mark.trajectoryId, summary });
  }

  evidence.sort((a, b) => a.at.localeCompare(b.at));
  return { taskIdx, ...decideStatus(evidence), evidence };
}

function iso(at: Date): string {
  return at.toISOString();
}

/** A Python traceback, whole or cut to its end (the verifier keeps its last 4,000 characters): its frames name their file and line. */
const TRACEBACK_FRAME = /^\s+File ".*", line \d+/m;

/** The line that says what went wrong: a Python traceback's last (the exception raised), else the first; cut at 200 characters. */
function headline(text: string): string {
  return TRACEBACK_FRAME.test(text) ? cut(text.split("\n").findLast((line) => line.trim() !== "") ?? "") : firstLine(text);
}

function firstLine(text: string): string {
  return cut(text.split("\n", 1)[0] ?? "");
}

function cut(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
