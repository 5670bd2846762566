import type { CodeRecord, ScenarioRecord, SchemaRecord, SeedRecord, SpecRecord, TasksRecord, VerifierMode, VerifierRecord } from "../awm/types.ts";
import { currentArtifacts, parseVerifierKey } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { requireEnvironmentRow } from "../store/environments.ts";

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

export async function requireEnvironmentRef(name: string, db: StudioTx = studioDb()): Promise<EnvironmentRef> {
  const environment = await requireEnvironmentRow(name, db);
  return { id: environment.id, name: environment.name, scenario: environment.scenario };
}

export async function loadEnvironmentInputs(name: string, db: StudioTx = studioDb()): Promise<EnvironmentInputs> {
  const environment = await requireEnvironmentRef(name, db);
  const inputs: EnvironmentInputs = { environment, verifiers: [] };
  for (const artifact of await currentArtifacts(environment.id, db)) {
    if (artifact.kind === "verifier") inputs.verifiers.push({ ...parseVerifierKey(artifact.key), record: artifact.record as VerifierRecord });
    else (inputs as unknown as Record<string, unknown>)[artifact.kind] = artifact.record;
  }
  return inputs;
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
