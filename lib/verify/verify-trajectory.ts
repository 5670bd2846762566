/**
 * Judges a stored trajectory and stores the Verdict.
 * code mode: the task's verify_task_completion decides alone (complete → 1.0, others → 0).
 * sql mode: the task's verify_task collects evidence, then the LLM judge classifies. A free-text
 * task has no verifier: the judge reads the run's database change instead (a judge-only verdict).
 * Whatever keeps a judgement from being made (no such verifier, a missing database, a verifier
 * that crashes, a judge that fails) is stored as a judge_error, with the reason, and no reward.
 */
import { diffDatabases } from "../diff/sqlite-diff.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { addVerdict, getTrajectoryOutline, UnknownTrajectoryError, type NewVerdict, type TrajectoryDetail, type TrajectoryOutline, type VerdictHeadline, type VerdictView } from "../trajectories/store.ts";
import { judgeTrajectory } from "./judge.ts";
import { judgedDatabaseNote } from "../trajectories/judged-database.ts";
import { judgeSetup } from "./judge-modes.ts";
import { runVerifier } from "./run-verifier.ts";
import type { VerifierMode } from "../awm/types.ts";
import { rewardFor } from "../awm/verdict.ts";
import { ENTRY_POINTS, codeResult } from "./verifier-output.ts";

export type StoredVerdict = VerdictView;

/** A verdict as stored, and the trajectory it judged with its headline as the verdict left it. */
export interface TrajectoryVerification {
  verdict: StoredVerdict;
  trajectory: Pick<TrajectoryDetail, "id" | "taskIdx"> & VerdictHeadline & {
    /** What the verdict rests on when the run's replay diverged (judged-database.ts). */
    judgedDatabaseNote?: string;
  };
}

/** Stores the verdict, a judge error too: it joins the history without replacing a good verdict (see addVerdict). */
export async function verifyTrajectory(trajectoryId: string, mode: VerifierMode, db: StudioTx = studioDb()): Promise<StoredVerdict> {
  return (await verifyTrajectoryWithHeadline(trajectoryId, mode, db)).verdict;
}

/** As verifyTrajectory, with what the trajectory shows after it: whether a judge error left an earlier verdict standing. */
export async function verifyTrajectoryWithHeadline(trajectoryId: string, mode: VerifierMode, db: StudioTx = studioDb()): Promise<TrajectoryVerification> {
  // The outline: judging reads the steps' calls and answers, never their diffs (the databases say what changed).
  const trajectory = await getTrajectoryOutline(trajectoryId, db);
  if (!trajectory) throw new UnknownTrajectoryError(trajectoryId);
  const { verdict, headline } = await addVerdict(trajectoryId, await judge(trajectory, mode, db), db);
  const note = judgedDatabaseNote(trajectory);
  return { verdict, trajectory: { id: trajectory.id, taskIdx: trajectory.taskIdx, ...(note && { judgedDatabaseNote: note }), ...headline } };
}

async function judge(trajectory: TrajectoryOutline, mode: VerifierMode, db: StudioTx): Promise<NewVerdict> {
  const judgeError = (error: string, extra: Partial<NewVerdict> = {}): NewVerdict => ({
    mode,
    classification: "judge_error",
    reward: rewardFor("judge_error"),
    error,
    ...extra,
  });
  const setup = await judgeSetup(trajectory, mode, db);
  if ("error" in setup) return judgeError(setup.error);
  if ("judgeOnly" in setup) {
    const change = await diffDatabases(trajectory.initialDbFile, trajectory.finalDbFile);
    return judgeByLlm(trajectory, { evidence: change, evidenceKind: "database-change", verifierOutput: "" }, judgeError, db);
  }

  const run = await runVerifier({
    code: setup.verifierCode,
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
  return judgeByLlm(trajectory, { evidence: run.output, evidenceKind: "verifier", verifierOutput }, judgeError, db);
}

/** sql mode's LLM judge over the evidence: a verify_task's output, or a free-text task's database change. */
async function judgeByLlm(
  trajectory: TrajectoryOutline,
  input: { evidence: unknown; evidenceKind: "verifier" | "database-change"; verifierOutput: string },
  judgeError: (error: string, extra?: Partial<NewVerdict>) => NewVerdict,
  db: StudioTx,
): Promise<NewVerdict> {
  const { evidence, evidenceKind, verifierOutput } = input;
  const outcome = await judgeTrajectory({ task: trajectory.task, steps: trajectory.steps, finalAnswer: trajectory.finalAnswer, evidence, evidenceKind }, { scenario: trajectory.environmentName }, db);
  if (!outcome.ok) {
    const raw = outcome.raw ? `\n--- the judge's answer ---\n${outcome.raw}` : "";
    return judgeError(`${outcome.error}${raw}`, { verifierOutput, evidence, llmCallId: outcome.llmCallId });
  }
  return {
    mode: "sql",
    classification: outcome.classification,
    reward: rewardFor(outcome.classification),
    reasoning: outcome.reasoning,
    confidence: outcome.confidence,
    evidence: outcome.evidence,
    verifierOutput,
    llmCallId: outcome.llmCallId,
  };
}
