/** What trajectories need of a library environment: its tasks, tool names, code and seed database. */
import { parseFastApiRoutes } from "../awm/code-routes.ts";
import type { CodeRecord, SpecRecord, TasksRecord } from "../awm/types.ts";
import { currentArtifact } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { getEnvironmentByName, listEnvironments } from "../store/environments.ts";

export interface TrajectoryEnvironment {
  name: string;
  tasks: string[];
  toolNames: Set<string>;
  code?: string;
  seedDbFile: string;
}

export async function loadTrajectoryEnvironment(name: string, db: StudioTx = studioDb()): Promise<TrajectoryEnvironment> {
  const environment = await getEnvironmentByName(name, db);
  if (!environment) {
    const known = (await listEnvironments(db)).map((env) => env.name);
    throw new Error(`no environment "${name}" in the library (it has: ${known.join(", ") || "nothing yet"}); import its AWM folder first`);
  }
  const [tasks, spec, code] = await Promise.all([
    currentArtifact<TasksRecord>(environment.id, "tasks", "", db),
    currentArtifact<SpecRecord>(environment.id, "spec", "", db),
    currentArtifact<CodeRecord>(environment.id, "code", "", db),
  ]);
  const fullCode = code?.record.full_code;
  const toolNames = new Set<string>();
  for (const group of spec?.record.api_spec?.api_groups ?? []) for (const endpoint of group.endpoints ?? []) if (endpoint.operation_id) toolNames.add(endpoint.operation_id);
  for (const route of fullCode ? parseFastApiRoutes(fullCode) : []) if (route.operationId) toolNames.add(route.operationId);
  return { name, tasks: tasks?.record.tasks ?? [], toolNames, code: fullCode, seedDbFile: environment.seedDbFile };
}
