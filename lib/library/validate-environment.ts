import fs from "node:fs";
import path from "node:path";
import type { AwmBundle, ValidationIssue, EnvironmentCounts } from "../awm/types.ts";
import { buildSeedDatabase } from "../awm/seed-db.ts";
import { validateBundle } from "../awm/validate.ts";
import { environmentDir } from "../config/paths.ts";
import { currentArtifacts } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { recordValidation } from "../store/environments.ts";
import { recordVerifierChecks } from "../verify/verifier-checks.ts";
import { verifierHealthOfBundle } from "../verify/verifier-health.ts";
import { bundleFromArtifacts } from "../store/bundle.ts";
import { liveSchemaKey, observedLiveSchemaIssues } from "./live-schema.ts";

export interface EnvironmentValidation {
  bundle: AwmBundle;
  issues: ValidationIssue[];
  counts: EnvironmentCounts;
  seedDbFile: string;
}

export interface RevalidateOptions {
  db?: StudioTx;
  /**
   * Also run every verifier on (seed, seed) in the sandbox (see verify/verifier-health.ts): a
   * Python process per environment, so it is the slow part of validation and can be skipped.
   */
  verifierHealth?: boolean;
}

/**
 * Builds the seed database from the environment's current schema and seed rows, validates every
 * current artifact, and records the issues and counts. Used after import, edits and regeneration.
 */
export async function revalidateEnvironment(
  environment: { id: string; name: string; scenario: string },
  { db = studioDb(), verifierHealth = false }: RevalidateOptions = {},
): Promise<EnvironmentValidation> {
  const artifacts = await currentArtifacts(environment.id, db);
  const bundle = bundleFromArtifacts(environment.name, environment.scenario, artifacts);
  const dir = environmentDir(environment.name);
  fs.mkdirSync(dir, { recursive: true });
  const seedDbFile = path.join(dir, "seed.db");
  const seedBuild = await buildSeedDatabase(seedDbFile, bundle.schema?.record, bundle.seed?.record);
  const { issues, counts } = validateBundle(bundle, seedBuild);
  if (verifierHealth && bundle.verifiers.length > 0 && seedBuild.tablesCreated.length > 0) {
    const health = await verifierHealthOfBundle(bundle, seedDbFile);
    issues.push(...health.issues);
    await recordVerifierChecks(environment.id, health.entries, db);
  }
  const { liveSchema } = await db.environment.findUniqueOrThrow({ where: { id: environment.id }, select: { liveSchema: true } });
  issues.push(...observedLiveSchemaIssues(liveSchema, liveSchemaKey(bundle.code?.record, bundle.schema?.record)));
  const description = bundle.scenarioRecord?.record.description ?? "";
  await recordValidation(environment.id, { issues, counts, description, seedDbFile }, db);
  return { bundle, issues, counts, seedDbFile };
}
