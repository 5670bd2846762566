/**
 * Judges a stored trajectory and stores the Verdict.
 * code mode: the task's verify_task_completion decides alone (complete → 1.0, others → 0).
 * sql mode: the task's verify_task collects evidence, then the LLM judge classifies.
 * Whatever keeps a judgement from being made (no such verifier, a missing database, a verifier
 * that crashes, a judge that fails) is stored as a judge_error, with the reason, and no reward.
 */
import fs from "node:fs";
import type { VerifierRecord } from "../awm/types.ts";
import { NotFoundError } from "../errors.ts";
import { currentArtifact, verifierKey } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { findEnvironment } from "../store/environments.ts";
import { addVerdict, getTrajectory, type NewVerdict, type TrajectoryDetail, type VerdictView } from "../trajectories/store.ts";
import { judgeTrajectory } from "./judge.ts";
import { runVerifier } from "./run-verifier.ts";
import { rewardFor, trainingReward, type VerdictClass, type VerdictMode } from "./verdict.ts";
import { ENTRY_POINTS, codeResult } from "./verifier-output.ts";

export type StoredVerdict = VerdictView;

export async function verifyTrajectory(trajectoryId: string, mode: VerdictMode, db: StudioTx = studioDb()): Promise<StoredVerdict> {
  const trajectory = await getTrajectory(trajectoryId, db);
  if (!trajectory) throw new NotFoundError(`no trajectory with id ${trajectoryId}`);
  const verdict = await judge(trajectory, mode, db);
  const stored = await addVerdict(trajectoryId, verdict, db);
  const reward = trainingReward(verdict.classification as VerdictClass);
  if (reward === null) await db.trajectory.update({ where: { id: trajectoryId }, data: { reward: null } });
  return stored;
}

async function judge(trajectory: TrajectoryDetail, mode: VerdictMode, db: StudioTx): Promise<NewVerdict> {
  const judgeError = (error: string, extra: Partial<NewVerdict> = {}): NewVerdict => ({
    mode,
    classification: "judge_error",
    reward: rewardFor("judge_error"),
    error,
    ...extra,
  });
  const setup = await verifierFor(trajectory, mode, db);
  if ("error" in setup) return judgeError(setup.error);

  const run = await runVerifier({
    code: setup.code,
    mode,
    initialDbFile: trajectory.initialDbFile,
    finalDbFile: trajectory.finalDbFile,
    finalAnswer: trajectory.finalAnswer ?? undefined,
  });
  if (!run.ok) return judgeError(`${ENTRY_POINTS[mode]} of task ${trajectory.taskIdx} failed:\n${run.error}`);
  const verifierOutput = JSON.stringify(run.output);

  if (mode === "code") {
    const classification = codeResult(run.output);
    const reason = (run.output as Record<string, unknown>).reason;
    return {
      mode,
      classification,
      reward: rewardFor(classification),
      reasoning: typeof reason === "string" ? reason : "",
      evidence: run.output,
      verifierOutput,
    };
  }

  const outcome = await judgeTrajectory(
    { task: trajectory.task, steps: trajectory.steps, finalAnswer: trajectory.finalAnswer, evidence: run.output },
    { scenario: trajectory.environmentName },
    db,
  );
  if (!outcome.ok) {
    const raw = outcome.raw ? `\n--- the judge's answer ---\n${outcome.raw}` : "";
    return judgeError(`${outcome.error}${raw}`, { verifierOutput, evidence: run.output, llmCallId: outcome.llmCallId });
  }
  return {
    mode,
    classification: outcome.classification,
    reward: rewardFor(outcome.classification),
    reasoning: outcome.reasoning,
    confidence: outcome.confidence,
    evidence: outcome.evidence,
    verifierOutput,
    llmCallId: outcome.llmCallId,
  };
}

async function verifierFor(trajectory: TrajectoryDetail, mode: VerdictMode, db: StudioTx): Promise<{ code: string } | { error: string }> {
  const environment = await findEnvironment(trajectory.environmentName, db);
  if (!environment) return { error: `environment "${trajectory.environmentName}" is not in the library` };
  const artifact = await currentArtifact<VerifierRecord>(environment.id, "verifier", verifierKey(mode, trajectory.taskIdx), db);
  if (!artifact) {
    const other = mode === "sql" ? "code" : "sql";
    const hasOther = await currentArtifact(environment.id, "verifier", verifierKey(other, trajectory.taskIdx), db);
    const file = mode === "sql" ? "gen_verifier.jsonl" : "gen_verifier.pure_code.jsonl";
    return {
      error:
        `environment "${trajectory.environmentName}" has no ${mode}-mode verifier (${ENTRY_POINTS[mode]}, ${file}) for task ${trajectory.taskIdx}` +
        (hasOther ? `; it has a ${other}-mode one: verify in ${other} mode` : ""),
    };
  }
  for (const [label, file] of [["initial", trajectory.initialDbFile], ["final", trajectory.finalDbFile]] as const) {
    if (!file) return { error: `the trajectory has no ${label} database` };
    if (!fs.existsSync(file)) return { error: `the trajectory's ${label} database is missing: ${file}` };
  }
  return { code: artifact.record.verification.code };
}
