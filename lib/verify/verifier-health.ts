/**
 * Verifier health of one environment: every current verifier runs on (seed, seed) in one sandboxed
 * Python process, and each is judged by health-assessment.ts. The issues use the import report's
 * ValidationIssue shape (stage "verifier"); nothing is stored here.
 */
import fs from "node:fs";
import type { ValidationIssue, VerifierRecord } from "../awm/types.ts";
import { currentArtifacts, parseVerifierKey } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { findEnvironment } from "../store/environments.ts";
import { assessVerifier, type VerifierHealthEntry, type VerifierUnderTest } from "./health-assessment.ts";
import { runVerifiers, type VerifierSandboxOptions } from "./run-verifier.ts";

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
  const started = performance.now();
  const db = options.db ?? studioDb();
  const environment = await findEnvironment(environmentName, db);
  if (!environment) throw Object.assign(new Error(`no environment named "${environmentName}"`), { name: "NotFoundError" });
  const { seedDbFile } = environment;
  if (!seedDbFile || !fs.existsSync(seedDbFile)) {
    throw new Error(`environment "${environmentName}" has no seed database (${seedDbFile || "never built"}): re-import or revalidate it first`);
  }
  const verifiers = await verifiersUnderTest(environment.id, db);
  const runs = await runVerifiers(
    verifiers.map((verifier) => ({ code: verifier.code, mode: verifier.mode, initialDbFile: seedDbFile, finalDbFile: seedDbFile })),
    options,
  );
  const assessed = verifiers.map((verifier, index) => assessVerifier(verifier, runs[index]!));
  const entries = assessed.map((result) => result.entry);
  return {
    environment: environmentName,
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

async function verifiersUnderTest(environmentId: string, db: StudioTx): Promise<(VerifierUnderTest & { code: string })[]> {
  const artifacts = await currentArtifacts(environmentId, db);
  const tasks = (artifacts.find((artifact) => artifact.kind === "tasks")?.record as { tasks?: string[] } | undefined)?.tasks ?? [];
  return artifacts
    .filter((artifact) => artifact.kind === "verifier")
    .map((artifact) => {
      const { mode, taskIdx } = parseVerifierKey(artifact.key);
      const record = artifact.record as VerifierRecord;
      const where = artifact.sourceFile
        ? `${artifact.sourceFile} line ${artifact.sourceLine}, task ${taskIdx}`
        : `${mode} verifier of task ${taskIdx} (version ${artifact.version})`;
      return { taskIdx, mode, task: record.task || tasks[taskIdx] || "", where, code: record.verification.code };
    })
    .sort((a, b) => a.taskIdx - b.taskIdx || a.mode.localeCompare(b.mode));
}
