/**
 * Agent episodes beside the LLM judge: with a judge model configured every episode also gets the
 * sql-mode verdict (the scripted model answers the judge's requests by their metadata stage), the
 * run's `reward` setting picks the verdict the statistics read, and without a judge nothing asks one.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import type { ScriptedRequest } from "../testing/scripted-llm.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import type { AgentModel } from "../testing/agent-shop.ts";
import type { RewardSource } from "./settings.ts";

useTempStudioHome("awm-agent-judge-");
const JUDGE_MODEL = "scripted-judge";
process.env.AWM_STUDIO_JUDGE_MODEL = JUDGE_MODEL;
const { AGENT_SHOP, BROKEN_VERIFIER_TASK, RENAME_TASK, callTool, finalAnswer, judgeAnswer, startAgentModel, turnOf } = await import("../testing/agent-shop.ts");
const manager = await import("../instances/manager.ts");
const { getTrajectory } = await import("../trajectories/store.ts");
const { getLlmCall } = await import("../llm/calls.ts");
const { runEpisode } = await import("./episode.ts");
const { agentSettings } = await import("./settings.ts");
const { startRolloutJob } = await import("../agent/rollout-job.ts");
const { rolloutReport } = await import("./rollout-report.ts");
const { launchRollout } = await import("./rollout-launch.ts");

let model: AgentModel;

before(async () => {
  model = await startAgentModel();
});
afterEach(() => {
  process.env.AWM_STUDIO_JUDGE_MODEL = JUDGE_MODEL;
});
after(() => model.close());

/** Renames product 1, then answers with the rollout's number, so the judge can tell rollouts apart. */
function renameThenAnswer(request: ScriptedRequest) {
  const { rollout, turn } = turnOf(request);
  return turn === 0 ? callTool("rename_product", { product_id: 1, name: "Blue Mug" }) : finalAnswer(`Renamed (rollout ${rollout}).`);
}

async function play(reward: RewardSource = "code", taskIdx = RENAME_TASK) {
  const from = model.llm.requests.length;
  const instance = await manager.createInstance(AGENT_SHOP);
  try {
    const result = await runEpisode({ environmentName: AGENT_SHOP, taskIdx, instanceId: instance.id, settings: agentSettings({ reward }) });
    const trajectory = await getTrajectory(result.trajectoryId);
    assert.ok(trajectory);
    return { result, trajectory, stages: model.llm.requests.slice(from).map((request) => String(request.body.metadata?.stage)) };
  } finally {
    await manager.stopInstance(instance.id);
  }
}

test("with a judge configured an episode gets the code verdict and the judge's, its LLM call linked; the code one counts", async () => {
  model.agent = renameThenAnswer;
  model.judge = () => judgeAnswer("incomplete", "renamed, but the answer is vague");
  const { result, trajectory, stages } = await play();
  assert.deepEqual(stages, ["agent", "agent", "judge"]);
  assert.deepEqual([result.status, result.classification, result.reward], ["final", "complete", 1]);
  const byMode = Object.fromEntries(trajectory.verdicts.map((verdict) => [verdict.mode, verdict]));
  assert.deepEqual([byMode.code?.classification, byMode.code?.reward], ["complete", 1]);
  assert.deepEqual([byMode.sql?.classification, byMode.sql?.reward, byMode.sql?.reasoning], ["incomplete", 0.1, "renamed, but the answer is vague"]);
  assert.match(byMode.sql?.verifierOutput ?? "", /"Blue Mug"/, "the judge read the sql-mode verifier's evidence");
  const call = await getLlmCall(byMode.sql?.llmCallId ?? "");
  assert.deepEqual([call?.stage, call?.model], ["judge", JUDGE_MODEL]);
  assert.deepEqual([trajectory.verdictClass, trajectory.reward], ["complete", 1], "the counted verdict heads the trajectory");
});

test("reward judge: the judge's verdicts are the rewards, advantages and pass@k of the group", { timeout: 120_000 }, async () => {
  model.agent = renameThenAnswer;
  model.judge = (request) => (JSON.stringify(request.body.messages).includes("rollout 1") ? judgeAnswer("incomplete") : judgeAnswer("complete"));
  const rewardsOf = async (reward: RewardSource) => {
    const handle = await startRolloutJob({ environment: AGENT_SHOP, tasks: [RENAME_TASK], group: 3, concurrency: 1, settings: agentSettings({ reward }) });
    assert.equal((await handle.done).status, "finished");
    const report = await rolloutReport(handle.jobId);
    const [task] = report?.tasks ?? [];
    return { reward: report?.summary.reward, rows: task?.rollouts.map((row) => [row.reward, row.classification]), mean: Math.round((task?.mean ?? NaN) * 1000) / 1000, zeroVariance: task?.zeroVariance, passHat3: task?.passHatK["3"] };
  };
  assert.deepEqual(await rewardsOf("code"), { reward: "code", rows: [[1, "complete"], [1, "complete"], [1, "complete"]], mean: 1, zeroVariance: true, passHat3: 1 });
  assert.deepEqual(await rewardsOf("judge"), { reward: "judge", rows: [[1, "complete"], [0.1, "incomplete"], [1, "complete"]], mean: 0.7, zeroVariance: false, passHat3: 0 });
});

test("a rollout worker plays its next episode while the judge still weighs the one before", { timeout: 120_000 }, async () => {
  const events: string[] = [];
  let secondStarted!: () => void;
  const second = new Promise<void>((resolve) => (secondStarted = resolve));
  model.agent = (request) => {
    const { rollout, turn } = turnOf(request);
    if (turn === 0) {
      events.push(`agent plays rollout ${rollout}`);
      if (rollout === 1) secondStarted();
    }
    return renameThenAnswer(request);
  };
  model.judge = async (request) => {
    const rollout = JSON.stringify(request.body.messages).includes("rollout 1") ? 1 : 0;
    events.push(`judge asked for rollout ${rollout}`);
    // Held until the next episode plays; a worker that waits for the verdict first would leave it held for 5 s.
    if (rollout === 0) await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    events.push(`judge answers rollout ${rollout}`);
    return judgeAnswer(rollout === 0 ? "complete" : "incomplete");
  };
  const handle = await startRolloutJob({ environment: AGENT_SHOP, tasks: [RENAME_TASK], group: 2, concurrency: 1, settings: agentSettings({ reward: "judge" }) });
  assert.equal((await handle.done).status, "finished");
  assert.ok(events.indexOf("agent plays rollout 1") < events.indexOf("judge answers rollout 0"), `the second episode played before the first's verdict: ${events.join(", ")}`);
  assert.deepEqual(events.slice(-2), ["judge asked for rollout 1", "judge answers rollout 1"]);
  const rows = (await rolloutReport(handle.jobId))?.tasks[0]?.rollouts.map((row) => [row.rollout, row.reward, row.classification]);
  assert.deepEqual(rows, [[0, 1, "complete"], [1, 0.1, "incomplete"]], "each verdict is its own rollout's");
  assert.deepEqual(manager.listInstances().filter((instance) => instance.status === "running"), [], "the job stopped its instance once the last verdict was in");
});

test("a judge that fails is an infrastructure failure under reward judge, and only a recorded judge_error under code", async () => {
  model.agent = renameThenAnswer;
  model.judge = () => ({ status: 503, body: { error: { message: "judge overloaded" } } });
  const counted = await play("judge");
  assert.deepEqual([counted.result.status, counted.result.reward, counted.result.classification], ["infra_failure", null, "judge_error"]);
  assert.match(counted.result.infraFailure ?? "", /^judge: the judge model failed: .*HTTP 503.*judge overloaded/);
  const recorded = await play("code");
  assert.deepEqual([recorded.result.status, recorded.result.reward], ["final", 1]);
  assert.deepEqual(recorded.trajectory.verdicts.map((verdict) => [verdict.mode, verdict.classification]).sort(), [["code", "complete"], ["sql", "judge_error"]]);
});

test("a task with no sql-mode verifier is not put to the judge beside the code verifier: no judge request, no judge error", async () => {
  model.agent = renameThenAnswer;
  model.judge = () => assert.fail("the judge has no evidence to read for this task");
  const { trajectory, stages } = await play("code", BROKEN_VERIFIER_TASK);
  assert.deepEqual(stages, ["agent", "agent"]);
  assert.deepEqual(trajectory.verdicts.map((verdict) => verdict.mode), ["code"], "its own verifier's verdict only (which raises here)");
});

test("reward judge is refused before anything runs for a task with no sql-mode verifier, which the judge needs", async () => {
  const before = model.llm.requests.length;
  await assert.rejects(
    launchRollout({ environment: AGENT_SHOP, tasks: [RENAME_TASK, BROKEN_VERIFIER_TASK], group: 2, concurrency: 1, settings: agentSettings({ reward: "judge" }) }),
    new RegExp(`needs a sql-mode verifier \\(gen_verifier\\.jsonl\\), and ${AGENT_SHOP} has none for task ${BROKEN_VERIFIER_TASK}: count the code verifier's verdict`),
  );
  await assert.rejects(play("judge", BROKEN_VERIFIER_TASK), /has none for task 2/);
  assert.equal(model.llm.requests.length, before, "no model was asked");
});

test("without a judge model no judge request reaches the server, and reward judge is refused before anything runs", async () => {
  delete process.env.AWM_STUDIO_JUDGE_MODEL;
  model.agent = renameThenAnswer;
  model.judge = () => assert.fail("no judge is configured");
  const { result, trajectory, stages } = await play();
  assert.deepEqual(stages, ["agent", "agent"]);
  assert.deepEqual([result.reward, trajectory.verdicts.map((verdict) => verdict.mode)], [1, ["code"]]);
  const before = model.llm.requests.length;
  await assert.rejects(play("judge"), /the reward "judge" counts the LLM judge's verdict, but no judge model is configured: .*AWM_STUDIO_JUDGE_MODEL/);
  assert.equal(model.llm.requests.length, before);
});
