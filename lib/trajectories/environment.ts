/** What trajectories need of a library environment: its tasks, tool names, code and seed database. */
import { parseFastApiRoutes } from "../awm/code-routes.ts";
import { NotFoundError, undefinedIfNotFound } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";

export interface TrajectoryEnvironment {
  name: string;
  tasks: string[];
  toolNames: Set<string>;
  code?: string;
  seedDbFile: string;
}

export async function loadTrajectoryEnvironment(name: string, db: StudioTx = studioDb()): Promise<TrajectoryEnvironment> {
  const environment = await loadEnvironment(name, { artifacts: ["tasks", "spec", "code"] }, db).catch(undefinedIfNotFound);
  // Not every name the library has: a library of 1,000 made this message pages long.
  if (!environment) throw new NotFoundError(`no environment named "${name}" in the studio: \`awm-studio list\` lists them; import its AWM folder first`);
  const { tasks, spec, code } = environment.artifacts;
  const fullCode = code?.record.full_code;
  const toolNames = new Set<string>();
  for (const group of spec?.record.api_spec?.api_groups ?? []) for (const endpoint of group.endpoints ?? []) if (endpoint.operation_id) toolNames.add(endpoint.operation_id);
  for (const route of fullCode ? parseFastApiRoutes(fullCode) : []) if (route.operationId) toolNames.add(route.operationId);
  return { name, tasks: tasks?.record.tasks ?? [], toolNames, code: fullCode, seedDbFile: environment.seedDbFile };
}
