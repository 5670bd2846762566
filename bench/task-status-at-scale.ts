import { taskStatuses } from "../lib/curation/task-status.ts";
import { studioDb } from "../lib/store/db.ts";
import { failed, measured, type Measurement } from "./measurement.ts";

export const TASK_STATUS_GOAL_MS = 2_000;
const RUNS_PER_TASK = 3;

/**
 * The status of every task of the library in the current studio home, after giving each task
 * evidence to weigh: a no-op run per verifier, a passing and two failing runs (one answered 500).
 */
export async function measureTaskStatusAtScale(loads: number): Promise<Measurement> {
  const name = "task_status.library";
  try {
    const db = studioDb();
    const environments = await db.environment.findMany({ select: { id: true, name: true, taskCount: true } });
    const tasks = environments.flatMap((environment) => Array.from({ length: environment.taskCount }, (_, taskIdx) => ({ ...environment, taskIdx })));
    await db.verifierHealthCheck.createMany({ data: tasks.map(({ id, taskIdx }) => ({ environmentId: id, taskIdx, mode: "code", status: "ok", output: '{"result":"others"}' })) });
    const runs = tasks.flatMap(({ name: environmentName, taskIdx }) =>
      Array.from({ length: RUNS_PER_TASK }, (_, index) => ({ environmentName, taskIdx, task: "Rename the product.", source: "playtest", verdictClass: index === 0 ? "complete" : "others", reward: index === 0 ? 1 : 0 })),
    );
    await db.trajectory.createMany({ data: runs });
    const failing = await db.trajectory.findMany({ where: { reward: 0 }, select: { id: true } });
    await db.trajectoryStep.createMany({ data: failing.map(({ id }, index) => ({ trajectoryId: id, ordinal: 0, role: "tool", toolName: "rename_product", toolResponse: index % 2 === 0 ? "HTTP 500: boom" : "{}" })) });
    const samples: number[] = [];
    let counted = 0;
    for (let load = 0; load < loads; load++) {
      const started = performance.now();
      counted = (await taskStatuses()).reduce((sum, environment) => sum + environment.tasks.length, 0);
      samples.push(performance.now() - started);
    }
    return measured(`${name}.${environments.length}_environments`, samples, "ms", TASK_STATUS_GOAL_MS, `${counted} tasks, ${runs.length} runs; taskStatuses() of the whole library`);
  } catch (error) {
    return failed(name, "ms", TASK_STATUS_GOAL_MS, error);
  }
}
