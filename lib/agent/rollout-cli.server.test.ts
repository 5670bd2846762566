/**
 * `awm-studio rollout` as its own process: a group killed with SIGKILL mid-way resumes in the next
 * identical run without replaying finished rollouts, and prints the JSON document.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ScriptedHandler } from "../testing/scripted-llm.ts";
import { spawnCli, type CliRun } from "../testing/spawn-cli.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-rollout-cli-");
const { startScriptedLlm } = await import("../testing/scripted-llm.ts");
const { AGENT_SHOP, callTool, finalAnswer, importAgentShop, turnOf } = await import("../testing/agent-shop.ts");
const { studioDb, closeStudioDb } = await import("../store/db.ts");

const rightRun: ScriptedHandler = (request) => ({ delayMs: 100, then: turnOf(request).turn === 0 ? callTool("rename_product", { product_id: 1, name: "Blue Mug" }) : finalAnswer() });
let model: ScriptedHandler = rightRun;
const llm = await startScriptedLlm((request) => model(request));
const ARGS = [AGENT_SHOP, "--tasks", "0", "--group", "4", "--concurrency", "1", "--max-turns", "5", "--json"];

before(async () => {
  await importAgentShop();
  await closeStudioDb();
});
after(() => llm.close());

function runCli(args: string[]): CliRun {
  return spawnCli(["rollout", ...args], { AWM_STUDIO_HOME: home, OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: "test-key", AWM_STUDIO_AGENT_MODEL: "scripted-agent" });
}

test("a rollout group killed with SIGKILL resumes without replaying finished rollouts", { timeout: 120_000 }, async () => {
  const first = runCli(ARGS);
  const killed = new Promise<void>((resolve) => {
    model = (request) => {
      if (turnOf(request).rollout === 2 && turnOf(request).turn === 1) {
        first.child.kill("SIGKILL");
        resolve();
      }
      return rightRun(request);
    };
  });
  await Promise.race([killed, first.exit.then(({ stderr }) => assert.fail(`rollout ended before the kill:\n${stderr}`))]);
  assert.equal((await first.exit).signal, "SIGKILL");

  const before = await studioDb().trajectory.findMany({ select: { id: true, rollout: true, agentStatus: true }, orderBy: { rollout: "asc" } });
  assert.deepEqual(before.map((row) => [row.rollout, row.agentStatus]), [[0, "final"], [1, "final"], [2, "running"]]);
  const job = await studioDb().job.findFirstOrThrow({ where: { kind: "rollout" } });
  await closeStudioDb();
  // Its report says so, with what to do: not "running" with an ETA that never comes.
  const interrupted = await runCli(["--report", job.id]).exit;
  assert.match(interrupted.stdout, new RegExp(`job ${job.id} was interrupted \\(its process is gone\\): resume it with --resume ${job.id}, or cancel it`));
  assert.match(interrupted.stdout, / interrupted: 2\/4 episodes, /);

  const requestsBefore = llm.requests.length;
  model = rightRun;
  const { code, stdout, stderr } = await runCli(ARGS).exit;
  assert.equal(code, 0, stderr);
  assert.match(stderr, /resuming job/);
  const report = JSON.parse(stdout) as {
    job: string;
    environment: string;
    tasks: { taskIdx: number; rollouts: Record<string, unknown>[]; mean: number; std: number; zeroVariance: boolean; passAtK: Record<string, number> }[];
    summary: Record<string, unknown>;
  };
  assert.equal(report.environment, AGENT_SHOP);
  const [task] = report.tasks;
  assert.deepEqual(Object.keys(task?.rollouts[0] ?? {}).sort(), ["advantage", "classification", "infraFailure", "malformed", "reward", "rollout", "trajectoryId", "turns"]);
  assert.deepEqual(task?.rollouts.map((row) => [row.rollout, row.reward, row.classification, row.advantage, row.turns, row.malformed, row.infraFailure]), [0, 1, 2, 3].map((rollout) => [rollout, 1, "complete", 0, 2, 0, null]));
  assert.deepEqual([task?.mean, task?.std, task?.zeroVariance, task?.passAtK], [1, 0, true, { 1: 1, 2: 1, 3: 1, 4: 1 }]);
  assert.deepEqual(task?.rollouts.slice(0, 2).map((row) => row.trajectoryId), before.slice(0, 2).map((row) => row.id), "finished rollouts are kept");
  assert.deepEqual([report.summary.status, report.summary.finished, report.summary.episodes, report.summary.models], ["finished", 4, 4, ["scripted-agent"]]);

  const replayed = llm.requests.slice(requestsBefore).map(turnOf);
  assert.deepEqual([...new Set(replayed.map((turn) => turn.rollout))], [2, 3], "only the unfinished rollouts ran again");
  const db = studioDb();
  assert.deepEqual((await db.job.findMany()).map((job) => [job.id, job.kind, job.status]), [[report.job, "rollout", "finished"]]);
  assert.equal(await db.trajectory.count(), 4, "the half-played rollout was replaced, not kept beside its replay");
  await closeStudioDb();

  const again = await runCli(["--report", report.job, "--json"]).exit;
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual((JSON.parse(again.stdout) as typeof report).tasks, report.tasks, "--report reads the same results back");
  const cancel = await runCli(["--cancel", report.job]).exit;
  assert.deepEqual([cancel.code, cancel.stderr.trim()], [1, `job ${report.job} is not running`]);
});

test("rollout names tasks the environment does not have", async () => {
  const { code, stderr } = await runCli([AGENT_SHOP, "--tasks", "0,7"]).exit;
  assert.equal(code, 2);
  assert.match(stderr, /--tasks: "0,7": environment "tiny_shop" has no task 7 \(its tasks are 0\.\.2\)/);
});

test("--reward takes code or judge, and judge needs a judge model before any episode runs", async () => {
  const wrong = await runCli([AGENT_SHOP, "--tasks", "0", "--reward", "llm"]).exit;
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--reward must be one of code, judge, got "llm"/);
  const requests = llm.requests.length;
  const jobs = await studioDb().job.count();
  await closeStudioDb();
  const noJudge = await runCli([AGENT_SHOP, "--tasks", "0", "--reward", "judge", "--json"]).exit;
  assert.equal(noJudge.code, 1);
  assert.match(noJudge.stderr, /the reward "judge" counts the LLM judge's verdict, but no judge model is configured/);
  assert.equal(llm.requests.length, requests, "no episode ran");
  assert.equal(await studioDb().job.count(), jobs, "refused before a job is stored: none is left behind failed");
});

test("a rollout leaves other interrupted jobs alone, naming them: they are not its to run", { timeout: 60_000 }, async () => {
  const { spawnSync } = await import("node:child_process");
  const os = await import("node:os");
  const gone = spawnSync("/bin/true").pid!;
  const other = await studioDb().job.create({
    data: { kind: "regen", status: "running", params: JSON.stringify({ environment: AGENT_SHOP, stage: "tasks", cascade: false, concurrency: 1, maxAttempts: 1 }), progress: JSON.stringify({ owner: { host: os.hostname(), pid: gone, heartbeatAt: new Date().toISOString() } }) },
  });
  await closeStudioDb();
  model = rightRun;
  const { code, stderr } = await runCli([AGENT_SHOP, "--tasks", "1", "--group", "1"]).exit;
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /resuming job/);
  assert.match(stderr, new RegExp(`1 other interrupted job \\(regen ${other.id}\\) left for the studio server to resume at its start`));
  assert.equal((await studioDb().job.findUniqueOrThrow({ where: { id: other.id } })).status, "running", "not taken over");
  await studioDb().job.update({ where: { id: other.id }, data: { status: "cancelled" } });
});

test("a group whose model endpoint is down stops after 3 episodes in a row; --resume plays those and the rest once it is back", { timeout: 120_000 }, async () => {
  model = () => ({ status: 500, body: { error: { message: "gpu on fire" } } });
  const down = await runCli([AGENT_SHOP, "--tasks", "1", "--group", "6", "--concurrency", "1", "--json"]).exit;
  assert.equal(down.code, 1, down.stderr);
  const stopped = /job (\w+) failed: stopped: the agent model's endpoint failed 3 episodes in a row \(.*gpu on fire.*\); fix it .*awm-studio rollout --resume (\w+)\)/.exec(down.stderr);
  assert.ok(stopped && stopped[1] === stopped[2], down.stderr);
  const jobId = stopped[1]!;
  const failed = JSON.parse(down.stdout) as { summary: { status: string; finished: number; infraFailures: number } };
  assert.deepEqual([failed.summary.status, failed.summary.finished, failed.summary.infraFailures], ["failed", 3, 3], "the other 3 episodes were not spent");

  model = rightRun;
  const resumed = await runCli(["--resume", jobId, "--json"]).exit;
  assert.equal(resumed.code, 0, resumed.stderr);
  const after = JSON.parse(resumed.stdout) as { job: string; summary: { status: string; finished: number; infraFailures: number }; tasks: { rollouts: { infraFailure: string | null }[] }[] };
  assert.deepEqual(after.tasks[0]?.rollouts.map((row) => row.infraFailure), [null, null, null, null, null, null]);
  assert.deepEqual([after.job, after.summary.status, after.summary.finished, after.summary.infraFailures], [jobId, "finished", 6, 0]);
  assert.equal(await studioDb().trajectory.count({ where: { jobId } }), 6, "the endpoint's failures were replaced, not kept beside their replays");
  const stored = await studioDb().job.findUniqueOrThrow({ where: { id: jobId } });
  assert.deepEqual([stored.status, stored.error], ["finished", ""]);
  assert.deepEqual((JSON.parse(stored.progress) as { summary: Record<string, unknown> }).summary, { episodes: 6, finished: 6, infraFailures: 0, cancelled: false });
  await closeStudioDb();

  const again = await runCli(["--resume", jobId]).exit;
  assert.equal(again.code, 0, "a finished job resumes to nothing left to play");
  const notRollout = await runCli(["--resume", "nonesuch"]).exit;
  assert.deepEqual([notRollout.code, notRollout.stderr.trim()], [1, "awm-studio rollout: no rollout job nonesuch"]);
});
