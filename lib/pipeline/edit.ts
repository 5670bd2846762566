/**
 * Hand edits and reverts of an environment's artifacts. Each appends a version (nothing is
 * overwritten), re-runs that stage's check on the new current record, and revalidates the library.
 */
import type { PipelineStage } from "../awm/types.ts";
import { describeSchemaError, STAGE_RECORDS } from "../awm/record-schemas.ts";
import { normalizeScenarioName } from "../awm/normalize.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { revalidateEnvironment } from "../library/validate-environment.ts";
import { appendArtifactVersions, artifactVersion, currentArtifact, parseVerifierKey, type ArtifactOrigin } from "../store/artifacts.ts";
import { studioDb } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { loadEnvironmentInputs } from "./environment-inputs.ts";
import { Semaphore } from "./semaphore.ts";
import { CONFIRMED } from "./stage-state.ts";
import { answerOfRecord, DEFAULT_TASK_COUNT, stageDefinition } from "./stage-tasks.ts";

export interface ArtifactChange {
  kind: PipelineStage;
  key: string;
  /** The current version after the change (unchanged when the record equals the current one). */
  version: number;
  created: boolean;
  check: { passed: boolean; errors: string[]; warnings?: string[]; details?: Record<string, unknown> };
}

export async function editArtifact(environment: string, kind: PipelineStage, key: string, record: unknown): Promise<ArtifactChange> {
  return changeArtifact(environment, kind, key, record, "edit");
}

/** Makes an earlier version current again, as a new version with origin "revert". */
export async function revertArtifact(environment: string, kind: PipelineStage, key: string, version: number): Promise<ArtifactChange> {
  const ref = await loadEnvironment(environment);
  const stored = await artifactVersion(ref.id, kind, key, version);
  if (!stored) throw new NotFoundError(`"${environment}" has no ${kind}${key ? ` ${key}` : ""} version ${version}`);
  return changeArtifact(environment, kind, key, stored.record, "revert");
}

/** A recheck's answer: the current version, the check result, and whether it was of an edit not saved (`draft`) instead of that version. */
export type RecheckResult = ArtifactChange["check"] & { version: number; draft: boolean };

/**
 * Runs the stage check on an artifact's current version, or on `draft` (an edit of it not saved,
 * refused as an edit would be when the studio could not use it), without changing the artifact. A
 * passing check of the current version confirms it against the inputs it was checked with: a stage
 * stale only for being older than them is stale no more.
 */
export async function recheckArtifact(environment: string, kind: PipelineStage, key = "", draft?: unknown): Promise<RecheckResult> {
  const ref = await loadEnvironment(environment);
  const current = await currentArtifact(ref.id, kind, key);
  if (!current) throw new NotFoundError(`"${environment}" has no ${kind}${key ? ` ${key}` : ""}`);
  if (draft === undefined) {
    const check = await checkRecord(environment, kind, key, current.record);
    // Passing against the inputs as they are now, the version is no longer stale for being older than them.
    if (check.passed) await studioDb().stageRun.create({ data: { environmentName: environment, stage: kind, key, status: CONFIRMED, artifactVersion: current.version } });
    return { version: current.version, draft: false, ...check };
  }
  refuseMisshapen(ref.scenario, kind, key, draft);
  return { version: current.version, draft: true, ...(await checkRecord(environment, kind, key, draft)) };
}

const oneCheckAtATime = new Semaphore(1);

async function checkRecord(environment: string, kind: PipelineStage, key: string, record: unknown): Promise<ArtifactChange["check"]> {
  const inputs = await loadEnvironmentInputs(environment);
  const taskCount = kind === "tasks" ? (inputs.tasks?.tasks.length ?? 0) : DEFAULT_TASK_COUNT;
  const definition = stageDefinition(inputs, kind, key, { taskCount, verifierMode: "code" });
  const check = await oneCheckAtATime.run(() => definition.check(answerOfRecord(kind, record), ""));
  return { passed: check.passed, errors: check.errors, ...(check.warnings && { warnings: check.warnings }), ...(check.details && { details: check.details }) };
}

async function changeArtifact(environment: string, kind: PipelineStage, key: string, record: unknown, origin: ArtifactOrigin): Promise<ArtifactChange> {
  const db = studioDb();
  const ref = await loadEnvironment(environment, {}, db);
  refuseMisshapen(ref.scenario, kind, key, record);
  const created = (await appendArtifactVersions(ref.id, [{ kind, key, record }], origin, db)) > 0;
  const version = (await currentArtifact(ref.id, kind, key, db))!.version;
  const check = await checkRecord(environment, kind, key, record);
  await revalidateEnvironment(ref, { db, verifierHealth: true });
  return { kind, key, version, created, check };
}

/**
 * Refuses a record the studio could not use as this artifact: not of AWM's shape for its stage (an
 * edit of any shape was stored, then broke every page that read it), naming another scenario, or a
 * verifier for another task than its key's.
 */
function refuseMisshapen(scenario: string, kind: PipelineStage, key: string, record: unknown): void {
  const what = `${kind}${key ? ` ${key}` : ""}`;
  const verifier = kind === "verifier" ? parseVerifierKey(key) : undefined;
  if (!verifier && key !== "") throw new InvalidInputError(`${kind} artifacts have no key (got "${key}")`);
  const { schema, nameField } = STAGE_RECORDS[kind];
  const parsed = schema.safeParse(record);
  if (!parsed.success) throw new InvalidInputError(`the ${what} record does not have AWM's shape: ${describeSchemaError(parsed.error)}`);
  const named = String((record as Record<string, unknown>)[nameField]);
  if (normalizeScenarioName(named) !== normalizeScenarioName(scenario)) {
    throw new InvalidInputError(`the ${what} record's ${nameField} is "${named}", not this environment's scenario "${scenario}"`);
  }
  const taskIdx = (record as { task_idx?: unknown }).task_idx;
  if (verifier && taskIdx !== verifier.taskIdx) throw new InvalidInputError(`the verifier ${key} record's task_idx is ${String(taskIdx)}, not ${verifier.taskIdx}`);
}
