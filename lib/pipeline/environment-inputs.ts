import type { CodeRecord, ScenarioRecord, SchemaRecord, SeedRecord, SpecRecord, TasksRecord, VerifierMode, VerifierRecord } from "../awm/types.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";

export interface EnvironmentRef {
  id: string;
  name: string;
  scenario: string;
}

/** An environment's current artifacts: what a stage is generated from. */
export interface EnvironmentInputs {
  environment: EnvironmentRef;
  scenario?: ScenarioRecord;
  tasks?: TasksRecord;
  schema?: SchemaRecord;
  seed?: SeedRecord;
  spec?: SpecRecord;
  code?: CodeRecord;
  verifiers: { mode: VerifierMode; taskIdx: number; record: VerifierRecord }[];
}

export async function loadEnvironmentInputs(name: string, db: StudioTx = studioDb()): Promise<EnvironmentInputs> {
  const { id, scenario: scenarioName, artifacts } = await loadEnvironment(name, { artifacts: ["scenario", "tasks", "schema", "seed", "spec", "code", "verifiers"] }, db);
  const { scenario, tasks, schema, seed, spec, code, verifiers } = artifacts;
  return {
    environment: { id, name, scenario: scenarioName },
    ...(scenario && { scenario: scenario.record }),
    ...(tasks && { tasks: tasks.record }),
    ...(schema && { schema: schema.record }),
    ...(seed && { seed: seed.record }),
    ...(spec && { spec: spec.record }),
    ...(code && { code: code.record }),
    verifiers: verifiers.map(({ mode, taskIdx, record }) => ({ mode, taskIdx, record })),
  };
}

/** The artifact a stage needs, or an error saying which one is missing. */
export function required<T>(value: T | undefined, what: string, inputs: EnvironmentInputs, forStage: string): T {
  if (value === undefined) throw new Error(`cannot generate ${forStage} for "${inputs.environment.name}": it has no ${what} yet`);
  return value;
}

/** Where AWM's generated records say the database lives. */
export function awmDbPath(name: string): string {
  return `./outputs/databases/${name}.db`;
}
