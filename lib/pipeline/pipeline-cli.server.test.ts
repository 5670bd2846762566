/**
 * The gen and regen commands as their own processes. A gen job killed with SIGKILL mid-run resumes
 * in the next run on the same home: stages that finished are not run again, no stored attempt is
 * lost, the job finishes.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, test } from "node:test";
import { startScriptedLlm, type ScriptedHandler } from "../testing/scripted-llm.ts";
import { spawnCli, type CliRun } from "../testing/spawn-cli.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { plantSwapModel } from "./fixtures/plant-swap-model.ts";

const home = useTempStudioHome("awm-pipeline-resume-");
const SEEDS_FILE = path.join(import.meta.dirname, "fixtures", "seed-scenarios.jsonl");
const GEN_ARGS = ["--seeds", SEEDS_FILE, "--count", "2", "--tasks", "2", "--concurrency", "2", "--json"];

let model: ScriptedHandler = plantSwapModel();
const llm = await startScriptedLlm((request) => model(request));
after(() => llm.close());

function runCli(command: "gen" | "regen", args: string[]): CliRun {
  return spawnCli([command, ...args], { AWM_STUDIO_HOME: home, OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: "test-key", AWM_STUDIO_GEN_MODEL: "scripted-generator" });
}

test("a gen job killed with SIGKILL resumes without redoing finished stages or losing attempts", { timeout: 120_000 }, async () => {
  const slow = plantSwapModel({ wrongFirst: true, delayMs: 200 });
  const first = runCli("gen", GEN_ARGS);
  const killed = new Promise<void>((resolve) => {
    model = (request) => {
      // Kill while the first code answer is on its way: earlier stages have passed, code has not.
      if (request.body.metadata?.stage === "code") {
        first.child.kill("SIGKILL");
        resolve();
      }
      return slow(request);
    };
  });
  await Promise.race([killed, first.exit.then(({ stderr }) => assert.fail(`gen ended before it reached the code stage:\n${stderr}`))]);
  assert.equal((await first.exit).signal, "SIGKILL");

  const { studioDb, closeStudioDb } = await import("../store/db.ts");
  const db = studioDb();
  const runsBefore = await db.stageRun.findMany({ include: { stageAttempts: true } });
  const finishedBefore = runsBefore.filter((run) => run.status === "passed");
  assert.ok(finishedBefore.some((run) => run.stage === "spec"), "at least one environment got to its spec before the kill");
  assert.ok(finishedBefore.some((run) => run.stage === "schema" && run.attempts === 2), "the schema's failed first attempt is stored");
  await closeStudioDb();

  const requestsBefore = llm.requests.length;
  model = plantSwapModel({ wrongFirst: true });
  const second = runCli("gen", GEN_ARGS);
  const { code, stderr } = await second.exit;
  assert.equal(code, 0, stderr);
  assert.match(stderr, /resuming job/);

  const after = studioDb();
  const jobs = await after.job.findMany();
  assert.deepEqual(jobs.map((job) => job.status), ["finished"], "the interrupted job was resumed, not started again");
  const runsAfter = await after.stageRun.findMany({ include: { stageAttempts: true } });
  const identity = (run: { environmentName: string; stage: string; key: string }) => `${run.environmentName}/${run.stage}/${run.key}`;
  assert.equal(new Set(runsAfter.map(identity)).size, runsAfter.length, "one StageRun per environment, stage and key");
  for (const run of finishedBefore) {
    const now = runsAfter.find((candidate) => candidate.id === run.id);
    assert.ok(now, `${identity(run)} still there`);
    assert.equal(now.attempts, run.attempts, `${identity(run)} was not run again`);
    assert.deepEqual(now.stageAttempts.map((attempt) => attempt.id).sort(), run.stageAttempts.map((attempt) => attempt.id).sort());
  }
  const attemptIdsAfter = new Set(runsAfter.flatMap((run) => run.stageAttempts.map((attempt) => attempt.id)));
  assert.ok(runsBefore.flatMap((run) => run.stageAttempts).every((attempt) => attemptIdsAfter.has(attempt.id)), "no attempt lost");

  const resumedRequests = llm.requests.slice(requestsBefore);
  const finishedKeys = new Set(finishedBefore.map((run) => `${run.stage}/${run.environmentName ? run.environmentName : ""}`));
  const redone = resumedRequests.filter((request) => {
    const scenario = String(request.body.metadata?.scenario ?? "");
    const environment = scenario ? scenario.toLowerCase().replace(/[^a-z0-9_]+/g, "_") : "";
    return finishedKeys.has(`${request.body.metadata?.stage}/${environment}`) && request.body.metadata?.stage !== "verifier";
  });
  assert.deepEqual(redone.map((request) => request.body.metadata), [], "no model call for a stage that had finished");

  assert.equal(runsAfter.filter((run) => run.stage !== "scenario").length, 2 * 7, "two environments × (tasks, schema, seed, spec, code, 2 verifiers)");
  assert.ok(runsAfter.every((run) => run.status === "passed"));
  const environments = await after.environment.findMany({ orderBy: { name: "asc" } });
  assert.deepEqual(environments.map((env) => [env.name, env.toolCount, env.verifierCount, env.errorCount]), [
    ["plant_swap_club_1", 3, 2, 0],
    ["plant_swap_club_2", 3, 2, 0],
  ]);
  await closeStudioDb();
});

test("regen --cascade from the CLI regenerates the stage and everything downstream, and reports the job as JSON", { timeout: 60_000 }, async () => {
  model = plantSwapModel();
  const { code, stdout, stderr } = await runCli("regen", ["plant_swap_club_1", "spec", "--cascade", "--json"]).exit;
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout) as { kind: string; status: string; stages: Record<string, { passed: number; failed: number }> };
  assert.equal(report.kind, "regen");
  assert.equal(report.status, "finished");
  assert.deepEqual(Object.keys(report.stages).sort(), ["code", "spec", "verifier"]);
  assert.equal(report.stages.verifier?.passed, 2);
});

test("regen refuses an unknown stage with the list of stages", async () => {
  const { code, stderr } = await runCli("regen", ["plant_swap_club_1", "tables"]).exit;
  assert.notEqual(code, 0);
  assert.match(stderr, /unknown stage "tables"; one of scenario, tasks, schema, seed, spec, code, verifier/);
});
