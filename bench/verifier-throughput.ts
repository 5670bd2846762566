import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runVerifier, runVerifiers, type VerifierJob, type VerifierRun } from "../lib/verify/run-verifier.ts";
import { loadBenchEnvironments } from "./environments.ts";
import { failed, measured, progress, type Measurement } from "./measurement.ts";
import type { BenchSource } from "./sources.ts";
import { removeHome } from "./temp-home.ts";

export const VERIFIER_RUNS_GOAL_PER_SECOND = 20;

/** Every code verifier of the source on (seed, seed), grouped by environment as the studio runs them. */
async function verifierJobs(folder: string, workDir: string): Promise<VerifierJob[][]> {
  return (await loadBenchEnvironments(folder, workDir))
    .map(({ bundle, seedDbFile }) =>
      bundle.verifiers
        .filter(({ record }) => record.mode === "code")
        .map(({ record }): VerifierJob => ({ code: record.verification.code, mode: "code", initialDbFile: seedDbFile, finalDbFile: seedDbFile })),
    )
    .filter((jobs) => jobs.length > 0);
}

/** Verifiers that ran to an answer: a run where none do measures only how fast failures come back. */
function requireAnswers(runs: VerifierRun[], how: string): string {
  const answered = runs.filter((run) => run.ok).length;
  if (answered === 0) throw new Error(`no verifier ran to an answer ${how}: ${runs[0] && !runs[0].ok ? runs[0].error : "no runs"}`);
  return `${answered}/${runs.length} returned a well-formed result`;
}

/**
 * Verifier runs per second: batched (one runVerifiers process per environment, the way import and
 * verifier health run them), each sample a full pass over all verifiers after a warm-up pass; and
 * unbatched (runVerifier, one sandboxed process per verifier), one pass, each sample one verifier.
 */
export async function measureVerifierThroughput(source: BenchSource, passes: number): Promise<Measurement[]> {
  const batchedName = "verify.runs_per_second.batched";
  const unbatchedName = "verify.runs_per_second.unbatched";
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-bench-verify-"));
  try {
    const groups = await verifierJobs(source.folder, workDir);
    const jobs = groups.flat();
    if (jobs.length === 0) throw new Error(`no code verifiers in ${source.folder}`);
    const batchedPass = async () => {
      const started = performance.now();
      const runs: VerifierRun[] = [];
      for (const group of groups) runs.push(...(await runVerifiers(group)));
      return { perSecond: jobs.length / ((performance.now() - started) / 1000), runs };
    };
    const answered = requireAnswers((await batchedPass()).runs, "in the warm-up pass");
    const batched: number[] = [];
    for (let pass = 1; pass <= passes; pass++) {
      batched.push((await batchedPass()).perSecond);
      progress(`${batchedName}: pass ${pass}/${passes} ${batched.at(-1)!.toFixed(1)}/s`);
    }
    const unbatched: number[] = [];
    const unbatchedRuns: VerifierRun[] = [];
    for (const job of jobs) {
      const started = performance.now();
      unbatchedRuns.push(await runVerifier(job));
      unbatched.push(1000 / (performance.now() - started));
    }
    progress(`${unbatchedName}: ${jobs.length} separate runs`);
    const what = `${jobs.length} code verifiers of ${groups.length} environments (${source.label}) on (seed, seed)`;
    return [
      measured(batchedName, batched, "runs/s", VERIFIER_RUNS_GOAL_PER_SECOND, {
        goalKind: "at_least",
        note: `${what}, one sandboxed runner process per environment; each sample one pass after a warm-up pass; ${answered}`,
        reference: { what: "unbatched: runVerifier, one sandboxed process per verifier", samples: unbatched },
      }),
      measured(unbatchedName, unbatched, "runs/s", VERIFIER_RUNS_GOAL_PER_SECOND, {
        goalKind: "at_least",
        note: `${what}, runVerifier one at a time: each sample 1 / one run's wall time; ${requireAnswers(unbatchedRuns, "unbatched")}`,
      }),
    ];
  } catch (error) {
    return [failed(batchedName, "runs/s", VERIFIER_RUNS_GOAL_PER_SECOND, error, "at_least")];
  } finally {
    removeHome(workDir);
  }
}
