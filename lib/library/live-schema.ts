/**
 * The live schema of an environment: what its code made of the seed database at start-up (see
 * awm/live-schema.ts). Observed after an instance starts and kept on the environment with the code
 * and schema it was seen with; revalidation keeps its issues while both are unchanged.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { compareLiveSchema, isLiveSchemaIssue } from "../awm/live-schema.ts";
import type { CodeRecord, SchemaRecord, ValidationIssue } from "../awm/types.ts";
import type { EnvironmentInstance } from "../runtime/instance.ts";
import { currentArtifact } from "../store/artifacts.ts";
import { studioDb } from "../store/db.ts";
import { issueFromRow, replaceIssues } from "../store/environments.ts";
import { readUntrusted } from "../untrusted-db/reader.ts";

interface LiveSchemaObservation {
  key: string;
  issues: ValidationIssue[];
}

/** What the live schema depends on: the code (its models, create_all) and the schema the seed database is built from. */
export function liveSchemaKey(code: CodeRecord | undefined, schema: SchemaRecord | undefined): string {
  return crypto.createHash("sha256").update(JSON.stringify([code?.full_code ?? null, schema?.db_schema ?? null])).digest("hex");
}

/** The issues of the last observation when it was made with this code and schema, else none. */
export function observedLiveSchemaIssues(stored: string, key: string): ValidationIssue[] {
  if (!stored) return [];
  const observation = JSON.parse(stored) as LiveSchemaObservation;
  return observation.key === key ? observation.issues : [];
}

/**
 * What the code did to the database at start-up: the instance's database right after it started
 * (a snapshot in the instance's own folder) compared with the seed database it started from.
 */
export async function startUpSchemaIssues(instance: EnvironmentInstance, seedDbFile: string, code: string, schema: SchemaRecord | undefined): Promise<ValidationIssue[]> {
  const snapshots = path.join(instance.dir, "snapshots");
  fs.mkdirSync(snapshots, { recursive: true });
  const snapshot = await instance.snapshot(path.join(snapshots, "start-up.db"));
  const [seed, live] = await Promise.all([readUntrusted("introspect", { file: seedDbFile }), readUntrusted("introspect", { file: snapshot })]);
  return compareLiveSchema({ seed, live, declared: (schema?.db_schema.tables ?? []).map((table) => table.name), code });
}

/** Observations under way in this process, by environment and key: concurrent starts share one. */
const observing = new Map<string, Promise<void>>();

/**
 * Records what the started instance's code (`code`, as the instance was started with it) did to the
 * seed database as the environment's issues (replacing those of the last observation), unless this
 * code and schema were observed already.
 */
export async function observeLiveSchema(environment: { id: string; seedDbFile: string }, instance: EnvironmentInstance, code: CodeRecord): Promise<void> {
  const schema = (await currentArtifact<SchemaRecord>(environment.id, "schema"))?.record;
  const key = liveSchemaKey(code, schema);
  const under = `${environment.id}:${key}`;
  let observation = observing.get(under);
  if (!observation) {
    observation = observeUnlessRecorded(environment, instance, code, schema, key).finally(() => observing.delete(under));
    observing.set(under, observation);
  }
  await observation;
}

/** Reads the stored observation only now, so a start that waited for another's observation finds it. */
async function observeUnlessRecorded(environment: { id: string; seedDbFile: string }, instance: EnvironmentInstance, code: CodeRecord, schema: SchemaRecord | undefined, key: string): Promise<void> {
  const row = await studioDb().environment.findUniqueOrThrow({ where: { id: environment.id }, select: { liveSchema: true } });
  if (row.liveSchema && (JSON.parse(row.liveSchema) as LiveSchemaObservation).key === key) return;
  const issues = await startUpSchemaIssues(instance, environment.seedDbFile, code.full_code, schema);
  await recordLiveSchema(environment.id, { key, issues });
}

/**
 * Replaces the environment's live-schema issues (the rest stay in their order) and its issue counts,
 * in one transaction with the check that the code and schema are still those observed: a revision
 * saved while this instance started is not given the old code's observation.
 */
async function recordLiveSchema(environmentId: string, observation: LiveSchemaObservation): Promise<void> {
  await studioDb().$transaction(async (tx) => {
    const [code, schema] = await Promise.all([currentArtifact<CodeRecord>(environmentId, "code", "", tx), currentArtifact<SchemaRecord>(environmentId, "schema", "", tx)]);
    if (liveSchemaKey(code?.record, schema?.record) !== observation.key) return;
    const rows = await tx.validationIssue.findMany({ where: { environmentId }, orderBy: { ordinal: "asc" } });
    const kept = rows.map(issueFromRow).filter((row) => !isLiveSchemaIssue(row));
    const counts = await replaceIssues(environmentId, [...kept, ...observation.issues], tx);
    await tx.environment.update({ where: { id: environmentId }, data: { liveSchema: JSON.stringify(observation), ...counts } });
  });
}
