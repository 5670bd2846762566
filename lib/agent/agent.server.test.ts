/**
 * The agent loop against a scripted OpenAI-compatible model playing the tiny shop (a real sandboxed
 * instance, the real LLM client and verifier): both protocols, right and wrong runs, malformed calls
 * under both policies, a tool answering 500, max turns, the history window, a failing endpoint, and
 * a rollout group's statistics.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DbDiff } from "../diff/sqlite-diff.ts";
import type { ScriptedHandler, ScriptedRequest } from "../testing/scripted-llm.ts";
import type { AgentModel } from "../testing/agent-shop.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-agent-");
process.env.AWM_STUDIO_LLM_BACKOFF_MS = "5";
const { AGENT_SHOP, BROKEN_VERIFIER_TASK, RENAME_TASK, LIST_TOOLS, callTool, finalAnswer, scriptedEpisode, startAgentModel, turnOf } = await import("../testing/agent-shop.ts");
const manager = await import("../instances/manager.ts");
const { getTrajectory } = await import("../trajectories/store.ts");
const { runEpisode } = await import("./episode.ts");
const { agentSettings } = await import("./settings.ts");
const { resumeRolloutJob, startRolloutJob } = await import("../agent/rollout-job.ts");
const { rolloutReport } = await import("./rollout-report.ts");
const { onRolloutEpisode } = await import("./rollout-job.ts");
const { cancelJob } = await import("../pipeline/job-store.ts");
const { studioDb } = await import("../store/db.ts");
const { listLlmCalls, llmCallStages } = await import("../llm/calls.ts");
const { rolloutToolUsage } = await import("./tool-usage.ts");

let model: AgentModel;

before(async () => {
  model = await startAgentModel();
});

after(() => model.close());

async function play(handler: ScriptedHandler, settings: Parameters<typeof agentSettings>[0] = {}, taskIdx = RENAME_TASK) {
  model.agent = handler;
  const from = model.llm.requests.length;
  const instance = await manager.createInstance(AGENT_SHOP);
  try {
    const result = await runEpisode({ environmentName: AGENT_SHOP, taskIdx, instanceId: instance.id, settings: agentSettings(settings) });
    const trajectory = await getTrajectory(result.trajectoryId);
    assert.ok(trajectory);
    return { result, trajectory, requests: model.llm.requests.slice(from) };
  } finally {
    await manager.stopInstance(instance.id);
  }
}

const RENAME = { product_id: 1, name: "Blue Mug" };
const messagesOf = (request: ScriptedRequest | undefined) => (request?.body.messages ?? []) as { role: string; content: string | null; tool_call_id?: string }[];

test("awm protocol, a right run: list_tools, one call (a second one skipped), a final answer, reward 1", async () => {
  const twoCalls = { content: `${callTool("rename_product", RENAME).content}\n<tool_call>{"name": "call_tool", "arguments": {"tool_name": "add_product", "arguments": "{\\"name\\": \\"X\\", \\"price\\": 1}"}}</tool_call>` };
  const { result, trajectory, requests } = await play(scriptedEpisode([LIST_TOOLS, twoCalls, finalAnswer("Product 1 is now called Blue Mug.")]));
  assert.deepEqual([result.status, result.reward, result.classification, result.turns, result.malformed, result.infraFailure], ["final", 1, "complete", 3, 0, null]);
  assert.equal(trajectory.source, "agent");
  assert.equal(trajectory.model, "scripted-agent");
  assert.equal(trajectory.finalAnswer, "Product 1 is now called Blue Mug.");
  assert.deepEqual(
    trajectory.steps.map((step) => [step.toolName, step.skipped, step.isFinal, step.llmCallId !== null]),
    [["list_tools", false, false, true], ["rename_product", false, false, true], ["call_tool", true, false, false], [null, false, true, true]],
  );
  // Each turn's model call is recorded after the turn went on: every link names a stored call, of its own turn.
  const linked = trajectory.steps.flatMap((step) => (step.llmCallId ? [step.llmCallId] : []));
  const records = await studioDb().llmCall.findMany({ where: { id: { in: linked } } });
  assert.deepEqual(linked.map((id) => (JSON.parse(records.find((record) => record.id === id)?.request ?? "{}") as { body?: { metadata?: { turn?: string } } }).body?.metadata?.turn), ["0", "1", "2"]);
  // The LLM calls list says what each call was for: the step it answered, of which task.
  const calls = await listLlmCalls({ stage: "agent" });
  assert.deepEqual(
    linked.map((id) => calls.find((call) => call.id === id)?.usedBy),
    [0, 1, 3].map((ordinal) => [{ kind: "trajectory", trajectoryId: trajectory.id, ordinal, taskIdx: RENAME_TASK, rollout: null }]),
  );
  assert.ok((await llmCallStages()).some(({ stage, calls: count }) => stage === "agent" && count >= 3), "the list can be filtered by the agent's stage");
  const [listed, renamed, skipped] = trajectory.steps;
  assert.match(listed?.toolResponse ?? "", /"name":"rename_product"/);
  assert.match(renamed?.content ?? "", /I will call the tool/);
  assert.deepEqual(renamed?.toolArguments, RENAME);
  assert.deepEqual(renamed?.diff?.tables.products?.updated.map((row) => row.after.name), ["Blue Mug"]);
  assert.deepEqual(renamed?.cumulativeDiff?.tables.products?.updated.length, 1);
  assert.ok((renamed?.promptTokens ?? 0) > 0 && renamed?.latencyMs !== null);
  assert.match(skipped?.toolResponse ?? "", /not run/);
  // Steps that ran no call change nothing, and show the run's change so far since the start (the final answer: the whole run's).
  const final = trajectory.steps[3];
  for (const step of [listed, skipped, final]) assert.deepEqual(step?.diff?.tables, {}, `step ${step?.ordinal}'s own diff`);
  assert.equal(listed?.cumulativeDiff?.tables.products, undefined, "nothing renamed before the rename");
  for (const step of [skipped, final]) assert.deepEqual(step?.cumulativeDiff?.tables.products?.updated.map((row) => row.after.name), ["Blue Mug"], `step ${step?.ordinal} since the start`);
  assert.equal(trajectory.verdicts[0]?.classification, "complete");

  assert.deepEqual(requests.map((request) => request.body.metadata), [0, 1, 2].map((turn) => ({ stage: "agent", scenario: "tiny_shop", attempt: "1", role: "agent", task: "0", rollout: "0", turn: String(turn) })));
  assert.deepEqual(requests.map((request) => [request.body.temperature, request.body.max_tokens, request.body.model]), [[1, 2048, "scripted-agent"], [1, 2048, "scripted-agent"], [1, 2048, "scripted-agent"]]);
  const last = messagesOf(requests[2]);
  assert.deepEqual(last.map((message) => message.role), ["system", "user", "assistant", "user", "assistant", "user"]);
  assert.match(last[0]?.content ?? "", /<tool_call>/);
  assert.match(last[0]?.content ?? "", /user with id 1/);
  assert.match(last[3]?.content ?? "", /^Tool response:\n\[/);
  assert.match(last[5]?.content ?? "", /^Tool response:\n\{"id":1,"name":"Blue Mug"\}/);
});

test("awm protocol, a wrong run: the verifier says no, reward 0; tool results as role tool, a direct mcp_tool_ call", async () => {
  const direct = { content: `<tool_call>${JSON.stringify({ name: "mcp_tool_rename_product", arguments: { product_id: 1, name: "Red Mug" } })}</tool_call>` };
  const { result, trajectory, requests } = await play(scriptedEpisode([direct, finalAnswer()]), { toolResultsAs: "tool" });
  assert.deepEqual([result.status, result.reward, result.classification], ["final", 0, "others"]);
  assert.equal(trajectory.steps[0]?.toolName, "rename_product");
  const sent = messagesOf(requests[1]);
  assert.deepEqual(sent.map((message) => message.role), ["system", "user", "assistant", "tool"]);
  assert.equal(sent[3]?.tool_call_id, "call_0_0");
});

test("a malformed call under the end policy ends the episode with a format error, reward -1", async () => {
  const bad = { content: `${callTool("rename_product", { product_id: "one", name: "Blue Mug" }, "Renaming.").content}\n${LIST_TOOLS.content}` };
  const { result, trajectory, requests } = await play(scriptedEpisode([bad, finalAnswer()]));
  assert.deepEqual(trajectory.steps.map((step) => [step.malformed, step.skipped]), [[true, false], [false, true]]);
  assert.deepEqual([result.status, result.reward, result.classification, result.malformed, result.turns], ["malformed", -1, "format_error", 1, 1]);
  assert.equal(requests.length, 1, "no turn after the malformed call");
  const step = trajectory.steps[0];
  assert.equal(step?.malformed, true);
  assert.equal(step?.content, bad.content);
  assert.match(step?.toolResponse ?? "", /invalid arguments for rename_product: .*product_id/);
  assert.equal(trajectory.reward, -1);
});

test("malformed calls under the feedback policy go back to the model and the episode goes on", async () => {
  const unparseable = { content: "<tool_call>{name: rename_product}</tool_call>" };
  const unknown = callTool("delete_everything", {});
  const { result, trajectory, requests } = await play(scriptedEpisode([unparseable, unknown, callTool("rename_product", RENAME), finalAnswer()]), { onMalformed: "feedback" });
  assert.deepEqual([result.status, result.reward, result.malformed, result.turns], ["final", 1, 2, 4]);
  assert.deepEqual(trajectory.steps.map((step) => step.malformed), [true, true, false, false]);
  assert.equal(trajectory.steps[0]?.toolArguments, "{name: rename_product}", "the raw text of a call that did not parse");
  assert.match(messagesOf(requests[1]).at(-1)?.content ?? "", /could not be run: the <tool_call> block is not valid JSON/);
  assert.match(messagesOf(requests[2]).at(-1)?.content ?? "", /unknown tool "delete_everything"/);
});

test("a reply over the cap ends the episode as malformed whatever the policy, kept cut to the cap; its LLM-call record keeps its long strings cut", async () => {
  const huge = { content: `${"x".repeat(2 * 1024 * 1024)}${callTool("rename_product", RENAME).content}` };
  const { result, trajectory, requests } = await play(scriptedEpisode([huge, finalAnswer()]), { onMalformed: "feedback" });
  assert.deepEqual([result.status, result.reward, result.classification, result.malformed, result.turns], ["malformed", -1, "format_error", 1, 1]);
  assert.equal(requests.length, 1, "the reply is not fed back: it would sit in every later prompt");
  const [step] = trajectory.steps;
  assert.equal(step?.malformed, true);
  assert.match(step?.toolResponse ?? "", /^the reply is 2,097,\d{3} characters, over the 256 KiB cap on one reply of the agent model/);
  assert.ok((step?.content.length ?? 0) < 300 * 1024, `the step keeps ${step?.content.length} characters`);
  const call = await studioDb().llmCall.findUniqueOrThrow({ where: { id: step!.llmCallId! } });
  assert.ok(call.response.length < 64 * 1024, `the record keeps ${call.response.length} characters of the answer`);
  assert.match(call.response, /more characters not stored/);
  assert.ok(JSON.parse(call.response), "still JSON");
});

test("a tool that answers 500: the step keeps the environment's traceback, the model reads only the answer, the episode goes on", async () => {
  const { result, trajectory, requests } = await play(scriptedEpisode([callTool("report_sales", {}), callTool("rename_product", RENAME), finalAnswer()]));
  assert.deepEqual([result.status, result.reward, result.infraFailure], ["final", 1, null]);
  const step = trajectory.steps[0];
  assert.equal(step?.isError, true);
  assert.match(step?.toolResponse ?? "", /^HTTP 500: /);
  assert.match(step?.toolResponse ?? "", /\n--- the environment's traceback \(\d+ chars\) ---\nTraceback .*in report_sales\n.*RuntimeError: the sales ledger is corrupt$/s);
  const modelRead = messagesOf(requests[1]).at(-1)?.content ?? "";
  assert.match(modelRead, /HTTP 500: \{"detail":"Internal Server Error"\}/);
  assert.doesNotMatch(modelRead, /Traceback|the sales ledger is corrupt/, "the model reads what an AWM agent reads, not the studio's debugging aid");
});

test("a call that commits nothing has an empty diff and carries the cumulative one on; the next change is diffed from the last", async () => {
  const { result, trajectory } = await play(
    scriptedEpisode([callTool("report_sales", {}), callTool("rename_product", RENAME), callTool("report_sales", {}), callTool("add_product", { name: "Tea Pot", price: 20 }), finalAnswer()]),
  );
  assert.deepEqual([result.status, result.reward], ["final", 1]);
  const changes = (diff: DbDiff | null | undefined) => {
    const products = diff?.tables.products;
    return products ? { inserted: products.inserted.map((row) => row.name), updated: products.updated.map((row) => row.after.name) } : {};
  };
  assert.deepEqual(
    trajectory.steps.filter((step) => step.toolName).map((step) => [step.toolName, changes(step.diff), changes(step.cumulativeDiff)]),
    [
      ["report_sales", {}, {}],
      ["rename_product", { inserted: [], updated: ["Blue Mug"] }, { inserted: [], updated: ["Blue Mug"] }],
      ["report_sales", {}, { inserted: [], updated: ["Blue Mug"] }],
      ["add_product", { inserted: ["Tea Pot"], updated: [] }, { inserted: ["Tea Pot"], updated: ["Blue Mug"] }],
    ],
  );
});

test("an environment that dies during a call is an infrastructure failure, not the agent's", async () => {
  const { result, trajectory } = await play(scriptedEpisode([callTool("close_shop", {}), finalAnswer()]));
  assert.deepEqual([result.status, result.reward, result.turns], ["infra_failure", null, 1]);
  assert.match(result.infraFailure ?? "", /^environment: tool call close_shop failed: instance crashed \(exited with code 3\)$/, "said once, not \"tool call close_shop failed: tool call close_shop failed: …\"");
  assert.deepEqual(trajectory.steps.map((step) => [step.toolName, step.isError, step.toolResponse === result.infraFailure]), [["close_shop", true, true]]);
  assert.equal(trajectory.reward, null);
});

test("an environment that dies once it has answered a call fails the read of that step's database: the environment's infrastructure failure, every call kept", async () => {
  const { result, trajectory } = await play(scriptedEpisode([callTool("rename_product", RENAME), callTool("leave_shop", {}), callTool("add_product", { name: "Tea Pot", price: 20 }), finalAnswer()]));
  assert.deepEqual([result.status, result.reward], ["infra_failure", null]);
  const byTool = new Map(trajectory.steps.map((step) => [step.toolName, step]));
  // The step before it keeps its diffs although the instance (whose folder held nothing of the episode's) is gone.
  assert.equal(byTool.get("rename_product")?.diff?.tables.products?.updated.length, 1);
  assert.equal(byTool.get("leave_shop")?.toolResponse, '{"left":true}');
  // The next call does not wait for that read (the episode captured the state before it answered):
  // whichever reaches the dead process first fails, and the episode names it; either way it is the environment's failure.
  const next = byTool.get("add_product");
  if (next?.skipped) {
    assert.equal(next.toolResponse, "not run: the database snapshot after the call before it failed");
    assert.match(result.infraFailure ?? "", /^environment: snapshot/);
  } else {
    assert.equal(next?.isError, true);
    assert.match(result.infraFailure ?? "", /^environment: tool call add_product failed: /);
  }
});

test("an environment that forges its database snapshots: the step's diff fails as the environment's infrastructure failure, named, and nothing is judged on the forgery", async () => {
  const { result, trajectory } = await play(scriptedEpisode([callTool("forge_books", {}), callTool("rename_product", RENAME), finalAnswer()]));
  assert.deepEqual([result.status, result.reward, result.classification], ["infra_failure", null, null]);
  assert.match(result.infraFailure ?? "", /^environment: the database the environment sent after a step could not be read: .*not a database/);
  assert.equal(trajectory.steps.find((step) => step.toolName === "forge_books")?.toolResponse, '{"forged":true}');
  assert.equal(trajectory.reward, null);
});

test("a verifier that raises is an infrastructure failure (judge_error), not a reward of 0", async () => {
  const { result, trajectory } = await play(scriptedEpisode([finalAnswer("Closed.")]), {}, BROKEN_VERIFIER_TASK);
  assert.deepEqual([result.status, result.reward, result.classification], ["infra_failure", null, "judge_error"]);
  assert.match(result.infraFailure ?? "", /^verifier: .*KeyError: 'opening_hours'/s);
  assert.equal(trajectory.reward, null);
});

test("max turns reached: the episode stops and is still judged", async () => {
  const { result, trajectory, requests } = await play(() => LIST_TOOLS, { maxTurns: 3 });
  assert.deepEqual([result.status, result.turns, result.reward, requests.length], ["max_turns", 3, 0, 3]);
  assert.equal(trajectory.finalAnswer, null);
});

test("the history window sends the system prompt, the task and only the last K interactions", async () => {
  const { requests } = await play(scriptedEpisode([LIST_TOOLS, LIST_TOOLS, LIST_TOOLS, finalAnswer()]), { historyWindow: 1, truncateToolResult: 40 });
  assert.deepEqual(requests.map((request) => messagesOf(request).length), [2, 4, 4, 4]);
  const last = messagesOf(requests[3]);
  assert.deepEqual(last.slice(0, 2).map((message) => message.role), ["system", "user"]);
  assert.equal(last[1]?.content, "Rename product 1 to 'Blue Mug'.");
  assert.match(last[3]?.content ?? "", /^Tool response:\n.{40}\n\[truncated: \d+ more characters\]$/s);
});

test("a model endpoint that fails is an infrastructure failure, not a reward of 0", async () => {
  const { result, trajectory } = await play(() => ({ status: 503, body: { error: { message: "overloaded" } } }));
  assert.equal(result.status, "infra_failure");
  assert.equal(result.reward, null);
  assert.match(result.infraFailure ?? "", /^model endpoint: .*HTTP 503.*overloaded/);
  assert.equal(trajectory.reward, null);
  assert.equal(trajectory.verdicts.length, 0);
});

test("native protocol with the environment's tools: several calls in one answer run in order", async () => {
  const handler: ScriptedHandler = (request) =>
    turnOf(request).turn === 0
      ? { content: "", toolCalls: [{ id: "a", name: "add_product", arguments: '{"name": "Tea Pot", "price": 20}' }, { id: "b", name: "rename_product", arguments: JSON.stringify(RENAME) }] }
      : finalAnswer();
  const { result, trajectory, requests } = await play(handler, { protocol: "native" });
  assert.deepEqual([result.status, result.reward], ["final", 1]);
  assert.deepEqual(trajectory.steps.map((step) => [step.toolName, step.toolCallId]), [["add_product", "a"], ["rename_product", "b"], [null, null]]);
  assert.deepEqual(trajectory.steps[1]?.cumulativeDiff?.tables.products && [trajectory.steps[1].cumulativeDiff.tables.products.inserted.length, trajectory.steps[1].cumulativeDiff.tables.products.updated.length], [1, 1]);
  const offered = (requests[0]?.body.tools as { function: { name: string } }[]).map((tool) => tool.function.name).sort();
  assert.deepEqual(offered, ["add_product", "close_shop", "forge_books", "get_product", "leave_shop", "rename_product", "report_sales"]);
  const sent = messagesOf(requests[1]);
  assert.deepEqual(sent.map((message) => [message.role, message.tool_call_id]), [["system", undefined], ["user", undefined], ["assistant", undefined], ["tool", "a"], ["tool", "b"]]);
});

test("native protocol with the environment's tools: an unknown tool's feedback points to the functions given, not to meta-tools the model never had", async () => {
  const handler: ScriptedHandler = (request) => (turnOf(request).turn === 0 ? { content: "", toolCalls: [{ id: "u", name: "no_such_tool", arguments: "{}" }] } : finalAnswer());
  const { requests } = await play(handler, { protocol: "native", onMalformed: "feedback" });
  const feedback = messagesOf(requests[1]).at(-1)?.content ?? "";
  assert.match(feedback, /unknown tool "no_such_tool"; call one of the functions given with this conversation/);
  assert.doesNotMatch(feedback, /list_tools|call_tool/);
});

test("native protocol with the meta-tools, and a schema-breaking call as a format error", async () => {
  const handler: ScriptedHandler = (request) =>
    turnOf(request).turn === 0
      ? { content: "", toolCalls: [{ id: "m", name: "call_tool", arguments: JSON.stringify({ tool_name: "rename_product", arguments: JSON.stringify(RENAME) }) }] }
      : { content: "", toolCalls: [{ id: "n", name: "call_tool", arguments: JSON.stringify({ tool_name: "add_product", arguments: "{}" }) }] };
  const { result, requests } = await play(handler, { protocol: "native", nativeTools: "meta" });
  assert.deepEqual([result.status, result.reward, result.turns], ["malformed", -1, 2]);
  assert.deepEqual((requests[0]?.body.tools as { function: { name: string } }[]).map((tool) => tool.function.name), ["list_tools", "call_tool"]);
});

test("a rollout group: rewards, mean, std, advantages, pass@k, zero variance, infrastructure failures apart", { timeout: 120_000 }, async () => {
  model.agent = (request) => {
    const { task, rollout, turn } = turnOf(request);
    if (turn > 0) return finalAnswer();
    if (task === 1) return rollout === 3 ? { status: 500, body: { error: { message: "gpu on fire" } } } : callTool("add_product", { name: "Tea Pot", price: 19 });
    return callTool("rename_product", { product_id: 1, name: rollout === 2 ? "Red Mug" : "Blue Mug" });
  };
  const handle = await startRolloutJob({ environment: AGENT_SHOP, tasks: [0, 1], group: 4, concurrency: 2, settings: agentSettings() });
  const outcome = await handle.done;
  assert.equal(outcome.status, "finished", outcome.error);
  const report = await rolloutReport(handle.jobId);
  assert.ok(report);
  const [rename, add] = report.tasks;
  assert.deepEqual(rename?.rollouts.map((row) => [row.rollout, row.reward, row.classification, row.turns]), [[0, 1, "complete", 2], [1, 1, "complete", 2], [2, 0, "others", 2], [3, 1, "complete", 2]]);
  assert.equal(rename?.mean, 0.75);
  assert.equal(rename?.std, 0.5);
  assert.deepEqual(rename?.rollouts.map((row) => row.advantage), [0.5, 0.5, -1.5, 0.5]);
  assert.deepEqual(rename?.passAtK, { 1: 0.75, 2: 1, 3: 1, 4: 1 });
  assert.deepEqual(rename?.passHatK, { 1: 0.75, 2: 0.5, 3: 0.25, 4: 0 });
  assert.equal(rename?.zeroVariance, false);

  assert.deepEqual(add?.rollouts.map((row) => [row.reward, row.advantage]), [[0, 0], [0, 0], [0, 0], [null, null]]);
  assert.match(add?.rollouts[3]?.infraFailure ?? "", /model endpoint: .*gpu on fire/);
  assert.deepEqual([add?.mean, add?.std, add?.zeroVariance, add?.infraFailures], [0, 0, true, 1]);
  assert.deepEqual(add?.passAtK, { 1: 0, 2: 0, 3: 0 });
  assert.deepEqual([report.summary.episodes, report.summary.finished, report.summary.infraFailures, report.summary.zeroVarianceTasks], [8, 8, 1, [1]]);
  assert.equal(report.summary.meanReward, 3 / 7);
  // Tool usage per task: each task's own calls (the rollout whose model failed made none).
  const rename4 = { tool: "rename_product", calls: 4, errors: 0, malformed: 0 };
  const add3 = { tool: "add_product", calls: 3, errors: 0, malformed: 0 };
  assert.deepEqual(await rolloutToolUsage(handle.jobId), { all: [rename4, add3], byTask: [{ taskIdx: 0, usage: [rename4] }, { taskIdx: 1, usage: [add3] }] });
  assert.equal(report.summary.promptTokens, 10 * 14, "the scripted model's 10 prompt tokens for each of the 14 answered turns");
  assert.equal(report.summary.status, "finished");
  const added = await studioDb().trajectoryStep.findMany({ where: { ordinal: 0, trajectory: { jobId: handle.jobId, taskIdx: 1, agentStatus: "final" } }, select: { isError: true, toolResponse: true } });
  assert.deepEqual(added.map((step) => [step.isError, step.toolResponse]), [[false, '{"id":3}'], [false, '{"id":3}'], [false, '{"id":3}']], "each rollout started from the seed state (a second Tea Pot would break the unique name)");
});

test("tool usage counts a malformed call_tool under the tool it named", { timeout: 60_000 }, async () => {
  model.agent = (request) => {
    const { rollout, turn } = turnOf(request);
    if (turn > 0) return finalAnswer();
    return callTool("rename_product", rollout === 0 ? { product_id: "one", name: "Blue Mug" } : RENAME);
  };
  const handle = await startRolloutJob({ environment: AGENT_SHOP, tasks: [0], group: 2, concurrency: 1, settings: agentSettings() });
  assert.equal((await handle.done).status, "finished");
  const usage = [{ tool: "rename_product", calls: 2, errors: 0, malformed: 1 }];
  assert.deepEqual(await rolloutToolUsage(handle.jobId), { all: usage, byTask: [{ taskIdx: 0, usage }] });
});

test("a cancel stops the episodes in play before their next turn and throws them away; a resume plays them", { timeout: 60_000 }, async () => {
  // Slower than the cancel's reach (a second at most): both episodes are still in their first turn when it lands.
  model.agent = (request) => ({ delayMs: 1_500, then: turnOf(request).turn === 0 ? callTool("rename_product", RENAME) : finalAnswer() });
  const handle = await startRolloutJob({ environment: AGENT_SHOP, tasks: [0], group: 6, concurrency: 2, settings: agentSettings() });
  let report = await rolloutReport(handle.jobId);
  for (let attempt = 0; attempt < 200 && (report?.summary.playing ?? 0) < 2; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    report = await rolloutReport(handle.jobId);
  }
  assert.equal(report?.summary.playing, 2, "two episodes in play");
  assert.equal(report?.tasks[0]?.playing.length, 2, "the task names its two rollouts in play");
  await cancelJob(handle.jobId);
  const cancelling = await rolloutReport(handle.jobId);
  assert.equal(cancelling?.summary.status, "cancelled");
  assert.ok((cancelling?.summary.playing ?? 0) >= 1, "the episodes in play are still counted until they stop");
  assert.equal((await handle.done).status, "cancelled");
  const ended = await rolloutReport(handle.jobId);
  assert.equal(ended?.summary.playing, 0);
  assert.deepEqual(ended?.tasks[0]?.playing, []);
  assert.equal(ended?.summary.finished, 0, "the two episodes cut short were not kept as samples, and no other was started");
  assert.equal(await studioDb().trajectory.count({ where: { jobId: handle.jobId } }), 0);
  assert.equal(ended?.tasks[0]?.zeroVariance, false);

  model.agent = (request) => (turnOf(request).turn === 0 ? callTool("rename_product", RENAME) : finalAnswer());
  const resumed = await resumeRolloutJob(handle.jobId);
  assert.equal((await resumed.done).status, "finished");
  const whole = await rolloutReport(handle.jobId);
  assert.deepEqual(whole?.tasks[0]?.rollouts.map((row) => [row.rollout, row.reward]), [0, 1, 2, 3, 4, 5].map((rollout) => [rollout, 1]));
});

test("a cancelled rollout job stops before its next episode and keeps what it played", { timeout: 60_000 }, async () => {
  model.agent = (request) => ({ delayMs: 50, then: turnOf(request).turn === 0 ? callTool("rename_product", RENAME) : finalAnswer() });
  const handle = await startRolloutJob({ environment: AGENT_SHOP, tasks: [0], group: 4, concurrency: 1, settings: agentSettings() });
  const stop = onRolloutEpisode((jobId) => {
    if (jobId === handle.jobId) void cancelJob(jobId);
  });
  try {
    const outcome = await handle.done;
    assert.equal(outcome.status, "cancelled");
  } finally {
    stop();
  }
  const report = await rolloutReport(handle.jobId);
  assert.equal(report?.summary.status, "cancelled");
  // The cancel lands while the worker checks the job (after the first episode, at the latest after the second).
  const rewards = report?.tasks[0]?.rollouts.map((row) => row.reward) ?? [];
  assert.ok(rewards.length >= 1 && rewards.length <= 2 && rewards.every((reward) => reward === 1), JSON.stringify(rewards));
});

test("a rollout's instances say which job plays on them, and why they stopped", { timeout: 60_000 }, async () => {
  model.agent = (request) => ({ delayMs: 300, then: turnOf(request).turn === 0 ? callTool("rename_product", RENAME) : finalAnswer() });
  const handle = await startRolloutJob({ environment: AGENT_SHOP, tasks: [0], group: 2, concurrency: 1, settings: agentSettings() });
  const ofJob = () => manager.listInstances().filter((instance) => instance.usedBy?.kind === "rollout" && instance.usedBy.jobId === handle.jobId);
  for (let attempt = 0; attempt < 200 && !ofJob().some((instance) => instance.status === "running"); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.equal(ofJob().filter((instance) => instance.status === "running").length, 1, "its one worker's instance, named as the job's");
  assert.equal((await handle.done).status, "finished");
  assert.deepEqual(ofJob().map((instance) => [instance.status, instance.exitReason]), [["stopped", "its rollout job's worker is done"]]);
});

test("Resume right after Cancel waits for the cancelled run to stop, then plays the rest; one still stopping elsewhere is refused", { timeout: 60_000 }, async () => {
  model.agent = (request) => ({ delayMs: 1_500, then: turnOf(request).turn === 0 ? callTool("rename_product", RENAME) : finalAnswer() });
  const handle = await startRolloutJob({ environment: AGENT_SHOP, tasks: [0], group: 4, concurrency: 2, settings: agentSettings() });
  for (let attempt = 0; attempt < 200 && ((await rolloutReport(handle.jobId))?.summary.playing ?? 0) < 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
  await cancelJob(handle.jobId);
  model.agent = (request) => (turnOf(request).turn === 0 ? callTool("rename_product", RENAME) : finalAnswer());
  const resumed = await resumeRolloutJob(handle.jobId);
  assert.notEqual(resumed, handle, "a new run, not the cancelled one");
  assert.equal((await handle.done).status, "cancelled");
  assert.equal((await resumed.done).status, "finished");
  const rows = await studioDb().trajectory.findMany({ where: { jobId: handle.jobId }, select: { rollout: true, agentStatus: true }, orderBy: { rollout: "asc" } });
  assert.deepEqual(rows.map((row) => [row.rollout, row.agentStatus]), [0, 1, 2, 3].map((rollout) => [rollout, "final"]), "each rollout once");

  // Cancelled, its run still stopping in a live process (another studio, say): not reopened under it.
  const os = await import("node:os");
  const elsewhere = await studioDb().job.create({
    data: { kind: "rollout", status: "cancelled", params: JSON.stringify({ environment: AGENT_SHOP, tasks: [0], group: 1, concurrency: 1, settings: agentSettings() }), progress: JSON.stringify({ owner: { host: os.hostname(), pid: process.ppid, heartbeatAt: new Date().toISOString() } }) },
  });
  await assert.rejects(resumeRolloutJob(elsewhere.id), /is cancelled and still stopping in another process .*resume it once it has stopped/);
});
