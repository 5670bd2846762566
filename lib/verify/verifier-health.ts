/**
 * Verifier health of one environment: every current verifier runs on (seed, seed) in one sandboxed
 * Python process, and each is judged by health-assessment.ts. The issues use the import report's
 * ValidationIssue shape (stage "verifier"); each verifier's result is kept as its task's no-op run
 * (verifier-checks.ts).
 */
import fs from "node:fs";
import type { AwmBundle, ValidationIssue } from "../awm/types.ts";
import { bundleFromArtifacts } from "../store/bundle.ts";
import { currentArtifacts } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { assessVerifier, type VerifierHealthEntry, type VerifierUnderTest } from "./health-assessment.ts";
import { runVerifiers, type VerifierSandboxOptions } from "./run-verifier.ts";
import { recordVerifierChecks } from "./verifier-checks.ts";

export interface VerifierHealthReport {
  environment: string;
  seedDbFile: string;
  entries: VerifierHealthEntry[];
  issues: ValidationIssue[];
  counts: { ok: number; broken: number; suspicious: number };
  durationMs: number;
}

export async function checkVerifierHealth(
  environmentName: string,
  options: VerifierSandboxOptions & { db?: StudioTx } = {},
): Promise<VerifierHealthReport> {
  const db = options.db ?? studioDb();
  const environment = await loadEnvironment(environmentName, {}, db);
  const { seedDbFile } = environment;
  if (!seedDbFile || !fs.existsSync(seedDbFile)) {
    throw new Error(`environment "${environmentName}" has no seed database (${seedDbFile || "never built"}): re-import or revalidate it first`);
  }
  const bundle = bundleFromArtifacts(environment.name, environment.scenario, await currentArtifacts(environment.id, db));
  const report = await verifierHealthOfBundle(bundle, seedDbFile, options);
  await recordVerifierChecks(environment.id, report.entries, db);
  return report;
}

/** Runs every verifier of a bundle on (seed, seed) in one sandboxed process and assesses each. */
export async function verifierHealthOfBundle(
  bundle: AwmBundle,
  seedDbFile: string,
  options: VerifierSandboxOptions = {},
): Promise<VerifierHealthReport> {
  const started = performance.now();
  const verifiers = verifiersUnderTest(bundle);
  const runs = await runVerifiers(
    verifiers.map((verifier) => ({ code: verifier.code, mode: verifier.mode, initialDbFile: seedDbFile, finalDbFile: seedDbFile })),
    options,
  );
  const assessed = verifiers.map((verifier, index) => assessVerifier(verifier, runs[index]!));
  const entries = assessed.map((result) => result.entry);
  return {
    environment: bundle.name,
    seedDbFile,
    entries,
    issues: assessed.flatMap((result) => (result.issue ? [result.issue] : [])),
    counts: {
      ok: entries.filter((entry) => entry.status === "ok").length,
      broken: entries.filter((entry) => entry.status === "broken").length,
      suspicious: entries.filter((entry) => entry.status === "suspicious").length,
    },
    durationMs: Math.round(performance.now() - started),
  };
}

function verifiersUnderTest(bundle: AwmBundle): (VerifierUnderTest & { code: string })[] {
  const tasks = bundle.tasks?.record.tasks ?? [];
  return bundle.verifiers.map(({ record, source }) => ({
    taskIdx: record.task_idx,
    mode: record.mode,
    task: record.task || tasks[record.task_idx] || "",
    where: source.file ? `${source.file} line ${source.line}, task ${record.task_idx}` : `${record.mode} verifier of task ${record.task_idx}`,
    code: record.verification.code,
  }));
}
