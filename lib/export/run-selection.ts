/**
 * Which runs an export takes: every trajectory (imported, playtests, agent rollouts) of the named
 * environments or of every one not excluded, optionally only those of curated tasks; read a page at a time.
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
    const page = await pageTrajectoryRecords({ environments, after, take: PAGE }, db);
    for (const run of page) if (!curated || curated.has(taskKey(run.environmentName, run.taskIdx))) yield run;
    if (page.length < PAGE) return;
    after = page.at(-1)?.id;
  }
}
