/**
 * Which runs an export takes: every trajectory (imported, playtests, agent rollouts) of the named
 * environments or of every one not excluded, optionally only those of curated tasks; read a page at a time.
 * An agent episode still in play, or one that ended as an infrastructure failure (never scored: the
 * environment, the verifier or the model endpoint failed), is no training data and is left out; so
 * is any run without a reward: one never judged, or whose judging only failed (a playtest or outside
 * agent's episode still in play or abandoned has none either). Training rows carry their reward.
 */
import { taskStatuses } from "../curation/task-status.ts";
import { scopedEnvironments } from "../library/environment-scope.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { pageTrajectoryRecords, type TrajectoryRecord } from "../trajectories/store.ts";

export interface RunSelection {
  /** Environment names (excluded ones too); empty or absent for every environment not excluded. */
  environments?: string[];
  curatedOnly?: boolean;
}

const PAGE = 200;

/** The agent statuses of runs no export takes (see the comment above). */
export const UNEXPORTED_AGENT_STATUSES = ["running", "infra_failure"];

/** The curated tasks' indexes per environment, of environments already in scope (see scopedEnvironments). */
export async function curatedTasks(environments: string[], db: StudioTx = studioDb()): Promise<Map<string, number[]>> {
  const statuses = await taskStatuses(environments, db);
  return new Map(statuses.map((env) => [env.name, env.tasks.filter((task) => task.status === "curated").map((task) => task.taskIdx)]));
}

export function taskKey(environment: string, taskIdx: number | null): string {
  return `${environment}\t${taskIdx ?? ""}`;
}

export async function* selectedRuns(selection: RunSelection, db: StudioTx = studioDb()): AsyncGenerator<TrajectoryRecord> {
  const environments = await scopedEnvironments(selection.environments, db);
  const curated = selection.curatedOnly
    ? new Set([...(await curatedTasks(environments, db))].flatMap(([name, tasks]) => tasks.map((taskIdx) => taskKey(name, taskIdx))))
    : undefined;
  for (let after: string | undefined; ; ) {
    const page = await pageTrajectoryRecords({ environments, after, take: PAGE, leaveOut: UNEXPORTED_AGENT_STATUSES, judgedOnly: true }, db);
    for (const run of page) if (!curated || curated.has(taskKey(run.environmentName, run.taskIdx))) yield run;
    if (page.length < PAGE) return;
    after = page.at(-1)?.id;
  }
}
