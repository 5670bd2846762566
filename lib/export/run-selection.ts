/**
 * Which runs an export takes: every trajectory (imported, playtests, agent rollouts) of the named
 * environments or of all, optionally only those of curated tasks; read a page at a time.
 */
import { UnknownEnvironmentError } from "../library/export.ts";
import { taskStatuses } from "../curation/task-status.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { VISIBLE } from "../store/environments.ts";
import { pageTrajectoryRecords, type TrajectoryRecord } from "../trajectories/store.ts";

export interface RunSelection {
  /** Environment names; empty or absent for all. */
  environments?: string[];
  curatedOnly?: boolean;
}

const PAGE = 200;

/** Throws UnknownEnvironmentError for a named environment the library does not have. */
export async function checkEnvironments(names: string[], db: StudioTx = studioDb()): Promise<void> {
  if (names.length === 0) return;
  const found = await db.environment.findMany({ where: { name: { in: names }, ...VISIBLE }, select: { name: true } });
  const missing = names.filter((name) => !found.some((env) => env.name === name));
  if (missing.length > 0) throw new UnknownEnvironmentError(missing);
}

/** The curated tasks' indexes per environment of the selection (all environments when none is named). */
export async function curatedTasks(environments: string[] | undefined, db: StudioTx = studioDb()): Promise<Map<string, number[]>> {
  const statuses = await taskStatuses(environments?.length ? environments : undefined, db);
  return new Map(statuses.map((env) => [env.name, env.tasks.filter((task) => task.status === "curated").map((task) => task.taskIdx)]));
}

export function taskKey(environment: string, taskIdx: number | null): string {
  return `${environment}\t${taskIdx ?? ""}`;
}

export async function* selectedRuns(selection: RunSelection, db: StudioTx = studioDb()): AsyncGenerator<TrajectoryRecord> {
  const environments = selection.environments?.length ? selection.environments : undefined;
  await checkEnvironments(environments ?? [], db);
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
