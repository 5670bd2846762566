/**
 * Task statuses from real evidence: the agent shop and a "lazy shop" whose rename verifier says
 * complete for anything, imported with verifier health (the no-op runs); an imported run folder that
 * passes its verifier; rollout groups played by a scripted model; a tool answering 500; people's
 * marks; an edited verifier making evidence stale; and the `curate --json` shape.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ScriptedLlm, ScriptedRequest } from "../testing/scripted-llm.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-curation-");
process.env.OPENAI_API_KEY = "test-key";
process.env.AWM_STUDIO_AGENT_MODEL = "scripted-agent";
process.env.AWM_STUDIO_LLM_RETRIES = "0";
const { startScriptedLlm } = await import("../testing/scripted-llm.ts");
const { AGENT_SHOP, callTool, finalAnswer, importAgentShop, turnOf } = await import("../testing/agent-shop.ts");
const { importFolder } = await import("../library/import.ts");
const { tinyShopRecords, writeFixtureFolder } = await import("../testing/awm-fixture.ts");
const { loadEnvironment } = await import("../store/load-environment.ts");
const { appendArtifactVersions, currentArtifact, verifierKey } = await import("../store/artifacts.ts");
const { buildRunFolder } = await import("../testing/run-folder.ts");
const { importAndReplayRun } = await import("../trajectories/import-and-replay.ts");
const { verifyTrajectory } = await import("../verify/verify-trajectory.ts");
const { taskText } = await import("../store/task-text.ts");
const { startRolloutJob } = await import("../agent/rollout-job.ts");
const { agentSettings } = await import("../agent/settings.ts");
const manager = await import("../instances/manager.ts");
const { curateCommand } = await import("../cli/commands/curate.ts");
const { markTaskCommand } = await import("../cli/commands/mark-task.ts");
const { UsageError } = await import("../cli/output.ts");
const { markTask } = await import("./marks.ts");
const { setTrajectoryReview } = await import("../trajectories/review.ts");
const { taskStatuses } = await import("./task-status.ts");
const { TASK_STATUSES } = await import("./status-rules.ts");
const taskStatusRoute = await import("../../app/api/environments/[name]/task-status/route.ts");

const LAZY_SHOP = "lazy_shop";
const SHADOW_SHOP = "shadow_shop";
/** Declared first, this handler answers every POST /api/products: add_product is unreachable. */
const SHADOWING_HANDLER = `@app.post("/api/products", summary="Old add", operation_id="add_product_v0")
def add_product_v0():
    return {"id": None}


`;
const ALWAYS_COMPLETE = `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    return {"result": "complete"}
`;

let llm: ScriptedLlm;

/** The agent shop's task 1 calls the tool that raises (500); the rename task renames; the rest answer at once. */
function agent(request: ScriptedRequest) {
  const { task, turn } = turnOf(request);
  const scenario = (request.body.metadata as Record<string, string> | undefined)?.scenario;
  if (scenario === AGENT_SHOP && task === 1 && turn === 0) return callTool("report_sales", {});
  if (scenario === AGENT_SHOP && task === 0 && turn === 0) return callTool("rename_product", { product_id: 1, name: "Blue Mug" });
  return finalAnswer();
}

before(async () => {
  llm = await startScriptedLlm(agent);
  process.env.OPENAI_BASE_URL = llm.baseUrl;
  await importAgentShop();
  const lazy = tinyShopRecords("Lazy Shop");
  const rename = lazy.verifiers[0];
  assert.ok(rename);
  rename.verification.code = ALWAYS_COMPLETE;
  const shadow = tinyShopRecords("Shadow Shop");
  const marker = '@app.post("/api/products"';
  assert.ok(shadow.code.full_code.includes(marker));
  shadow.code.full_code = shadow.code.full_code.replace(marker, `${SHADOWING_HANDLER}${marker}`);
  const report = await importFolder(writeFixtureFolder([lazy, shadow]));
  assert.deepEqual(report.errors, []);
});

after(async () => {
  await manager.stopAll();
  await llm.close();
});

async function statusesOf(name: string) {
  const [environment] = await taskStatuses([name]);
  assert.ok(environment);
  return environment.tasks;
}

async function importRun(environmentName: string, scenario: string, taskIdx: number, calls: { name: string; arguments: Record<string, unknown> }[], judge = true) {
  const environment = await loadEnvironment(environmentName);
  assert.ok(environment);
  const code = await currentArtifact<{ full_code: string }>(environment.id, "code");
  assert.ok(code);
  const folder = await buildRunFolder({ code: code.record.full_code, seedDbFile: environment.seedDbFile, scenario, taskIdx, task: await taskText(environmentName, taskIdx), calls });
  const { imported } = await importAndReplayRun(folder);
  if (!judge) return { id: imported.trajectoryId, classification: undefined };
  const verdict = await verifyTrajectory(imported.trajectoryId, "code");
  return { id: imported.trajectoryId, classification: verdict.classification };
}

async function rollouts(environment: string, tasks: number[]) {
  const handle = await startRolloutJob({ environment, tasks, group: 2, concurrency: 2, settings: agentSettings() });
  const outcome = await handle.done;
  assert.equal(outcome.status, "finished", outcome.error);
  return handle.jobId;
}

test("after import: no runs → unverified; a verifier that crashes on (seed, seed) → unsolvable; one that rewards doing nothing → reward-hackable", async () => {
  const shop = await statusesOf(AGENT_SHOP);
  assert.deepEqual(shop.map((task) => task.status), ["unverified", "unverified", "unsolvable"]);
  const broken = shop[2]?.evidence.find((item) => item.kind === "no-op");
  assert.ok(broken?.kind === "no-op" && broken.health === "broken" && /opening_hours/.test(broken.detail), JSON.stringify(shop[2]));
  assert.match(shop[2]?.reason ?? "", /can never reward anyone/);
  // The summary quotes the exception the traceback ends with, not its "Traceback (most recent call last):" head.
  assert.match(broken.summary, /fails: \w*Error: .*opening_hours/);
  const lazy = await statusesOf(LAZY_SHOP);
  assert.equal(lazy[0]?.status, "reward-hackable");
  assert.match(lazy[0]?.reason ?? "", /rewards doing nothing/);
  assert.equal(lazy[1]?.status, "unverified");
});

test("an imported run that passes its verifier, with a healthy no-op run → curated, both listed as evidence", async () => {
  const run = await importRun(AGENT_SHOP, "Tiny Shop", 0, [{ name: "rename_product", arguments: { product_id: 1, name: "Blue Mug" } }]);
  assert.equal(run.classification, "complete");
  const [rename] = await statusesOf(AGENT_SHOP);
  assert.equal(rename?.status, "curated", JSON.stringify(rename));
  // One no-op check per verifier mode the task has (code and sql), then the run.
  assert.deepEqual(rename?.evidence.map((item) => [item.kind, item.kind === "no-op" ? item.mode : "", item.stale]), [["no-op", "code", false], ["no-op", "sql", false], ["run", "", false]]);
  const evidence = rename?.evidence.find((item) => item.kind === "run");
  assert.ok(evidence?.kind === "run" && evidence.trajectoryId === run.id && evidence.source === "import" && evidence.verdict === "complete");
});

test("a failed run that called an operation validation found shadowed, and no passing run → unsolvable, naming the issue", async () => {
  const run = await importRun(SHADOW_SHOP, "Shadow Shop", 1, [{ name: "add_product", arguments: { name: "Tea Pot", price: 20 } }]);
  assert.notEqual(run.classification, "complete");
  const [rename, add] = await statusesOf(SHADOW_SHOP);
  assert.equal(rename?.status, "unverified");
  assert.equal(add?.status, "unsolvable", JSON.stringify(add));
  const issue = add?.evidence.find((item) => item.kind === "issue");
  assert.ok(issue?.kind === "issue" && issue.trajectoryId === run.id && issue.tool === "add_product" && issue.severity === "error");
  assert.match(add?.reason ?? "", /add_product is unreachable/);
});

test("a rollout group whose runs got a 500 and none passed → unsolvable; a person's mark overrides, and clearing it restores", async () => {
  const jobId = await rollouts(AGENT_SHOP, [1]);
  const [, add] = await statusesOf(AGENT_SHOP);
  assert.equal(add?.status, "unsolvable", JSON.stringify(add));
  const serverError = add?.evidence.find((item) => item.kind === "server-error");
  assert.ok(serverError?.kind === "server-error" && serverError.tool === "report_sales" && /^HTTP 500/.test(serverError.response));
  assert.ok(add?.evidence.some((item) => item.kind === "rollout-group" && item.jobId === jobId && item.n === 2 && item.successes === 0));

  const printed: string[] = [];
  const io = { out: (text: string) => printed.push(text), err: (text: string) => printed.push(text) };
  assert.equal(await markTaskCommand([AGENT_SHOP, "1", "--unsolvable", "no tool writes products with a price"], io), 0);
  // The mark, and what it made of the task: other evidence may decide (a group that all passed makes a task too-easy whatever a reference says).
  assert.deepEqual(printed, ["Marked tiny_shop task 1: unsolvable — no tool writes products with a price\ntask 1 is now unsolvable: marked unsolvable by a person: no tool writes products with a price"]);
  await assert.rejects(markTaskCommand([AGENT_SHOP, "1", "--clear", "--unsolvable", "x"], io), UsageError);
  const [, marked] = await statusesOf(AGENT_SHOP);
  assert.deepEqual([marked?.status, marked?.reason], ["unsolvable", "marked unsolvable by a person: no tool writes products with a price"]);
  await markTask(AGENT_SHOP, 1, { kind: "cleared" });
  const [, cleared] = await statusesOf(AGENT_SHOP);
  assert.equal(cleared?.evidence.some((item) => item.kind === "mark"), false);
  assert.match(cleared?.reason ?? "", /answered HTTP 500/);
  await assert.rejects(markTask(AGENT_SHOP, 1, { kind: "unsolvable", note: " " }), /needs a note/);
  await assert.rejects(markTask(AGENT_SHOP, 7, { kind: "cleared" }), /has no task 7/);
});

test("a run the verifier failed is refused as the reference, and tagged \"verifier wrong\" makes its task unsolvable", async () => {
  const failing = await importRun(LAZY_SHOP, "Lazy Shop", 1, []);
  assert.notEqual(failing.classification, "complete");
  assert.equal((await statusesOf(LAZY_SHOP))[1]?.status, "unverified");
  await assert.rejects(markTask(LAZY_SHOP, 0, { kind: "reference", trajectoryId: failing.id }), /no run/);
  await assert.rejects(markTask(LAZY_SHOP, 1, { kind: "reference", trajectoryId: failing.id }), /failed its verifier \(\w+, reward 0\), so it cannot be the reference; .*tag the run "verifier wrong"/);
  assert.equal((await statusesOf(LAZY_SHOP))[1]?.evidence.some((item) => item.kind === "mark"), false, "nothing was recorded");

  await setTrajectoryReview(failing.id, { tags: ["verifier wrong"], note: "" });
  const [, disputed] = await statusesOf(LAZY_SHOP);
  assert.equal(disputed?.status, "unsolvable", JSON.stringify(disputed));
  assert.match(disputed?.reason ?? "", new RegExp(`run ${failing.id} failed \\(\\w+\\), but a reviewer tagged it "verifier wrong"`));
  await setTrajectoryReview(failing.id, { tags: [], note: "" });
  assert.equal((await statusesOf(LAZY_SHOP))[1]?.status, "unverified");
});

test("a run a person marked as the reference counts as one; then a group that all fails → too-hard, all passes → too-easy", async () => {
  // A playtest finished without its verifier: a person's word is the only judge of it.
  const unjudged = await importRun(LAZY_SHOP, "Lazy Shop", 1, [], false);
  await markTask(LAZY_SHOP, 1, { kind: "reference", trajectoryId: unjudged.id });
  const [, marked] = await statusesOf(LAZY_SHOP);
  assert.equal(marked?.status, "curated", JSON.stringify(marked));
  assert.match(marked?.reason ?? "", /is the reference run/);
  // Judged afterwards, it fails: the person's mark stays listed but no longer makes the task curated.
  assert.notEqual((await verifyTrajectory(unjudged.id, "code")).classification, "complete");
  const [, failedSince] = await statusesOf(LAZY_SHOP);
  assert.equal(failedSince?.status, "unverified", JSON.stringify(failedSince));
  const mark = failedSince?.evidence.find((item) => item.kind === "mark");
  assert.ok(mark?.stale && /but its verifier has failed it \(\w+\): the mark no longer counts/.test(mark.summary), JSON.stringify(mark));

  await rollouts(LAZY_SHOP, [1]);
  assert.equal((await statusesOf(LAZY_SHOP))[1]?.status, "too-hard");
  await rollouts(AGENT_SHOP, [0]);
  const [easy] = await statusesOf(AGENT_SHOP);
  assert.equal(easy?.status, "too-easy", JSON.stringify(easy));
});

test("an edited verifier makes the task's evidence stale: listed, no longer deciding", async () => {
  const environment = await loadEnvironment(AGENT_SHOP);
  assert.ok(environment);
  const verifier = await currentArtifact<{ verification: { code: string } }>(environment.id, "verifier", verifierKey("code", 0));
  assert.ok(verifier);
  const edited = { ...verifier.record, verification: { ...verifier.record.verification, code: `${verifier.record.verification.code}\n# edited\n` } };
  await appendArtifactVersions(environment.id, [{ kind: "verifier", key: verifierKey("code", 0), record: edited }], "edit");
  const [rename, add] = await statusesOf(AGENT_SHOP);
  assert.equal(rename?.status, "unverified");
  assert.ok(rename?.evidence.length && rename.evidence.every((item) => item.stale), JSON.stringify(rename));
  assert.equal(add?.status, "unsolvable", "another task's verifier edit leaves its evidence current");

  // Put back as it was (a revert is a new version with the old content): the evidence is current again.
  await appendArtifactVersions(environment.id, [{ kind: "verifier", key: verifierKey("code", 0), record: verifier.record }], "revert");
  const [reverted] = await statusesOf(AGENT_SHOP);
  assert.equal(reverted?.status, "too-easy", JSON.stringify(reverted));
  assert.ok(reverted?.evidence.every((item) => !item.stale));
});

test("editing one task's text makes only that task's evidence stale; the other tasks keep theirs", async () => {
  const environment = await loadEnvironment(AGENT_SHOP);
  assert.ok(environment);
  const tasks = await currentArtifact<{ tasks: string[] }>(environment.id, "tasks");
  assert.ok(tasks);
  const [renameBefore, addBefore] = await statusesOf(AGENT_SHOP);
  const edited = { ...tasks.record, tasks: tasks.record.tasks.map((text, index) => (index === 1 ? `Quick question: ${text}` : text)) };
  await appendArtifactVersions(environment.id, [{ kind: "tasks", key: "", record: edited }], "edit");
  const [rename, add] = await statusesOf(AGENT_SHOP);
  assert.equal(rename?.status, renameBefore?.status, "task 0's text did not change");
  assert.ok(rename?.evidence.every((item) => !item.stale), JSON.stringify(rename));
  assert.equal(add?.status, "unverified", `task 1's runs were of another text (it was ${addBefore?.status})`);
  assert.ok(add?.evidence.length && add.evidence.every((item) => item.stale));
  await appendArtifactVersions(environment.id, [{ kind: "tasks", key: "", record: tasks.record }], "revert");
  assert.equal((await statusesOf(AGENT_SHOP))[1]?.status, addBefore?.status, "the text put back, its evidence counts again");
});

test("curate --json prints {environments: [{name, tasks: [{taskIdx, status, evidence}]}]}; an unknown name fails", async () => {
  const out: string[] = [];
  const io = { out: (text: string) => out.push(text), err: (text: string) => out.push(text) };
  assert.equal(await curateCommand(["--json", "--env", LAZY_SHOP, "--env", AGENT_SHOP], io), 0);
  const printed = JSON.parse(out.join("")) as { environments: { name: string; tasks: { taskIdx: number; status: string; evidence: unknown[] }[] }[] };
  assert.deepEqual(printed.environments.map((environment) => environment.name), [LAZY_SHOP, AGENT_SHOP]);
  for (const task of printed.environments.flatMap((environment) => environment.tasks)) {
    assert.ok(TASK_STATUSES.includes(task.status as never) && Array.isArray(task.evidence) && Number.isInteger(task.taskIdx));
  }
  out.length = 0;
  assert.equal(await curateCommand([], io), 0);
  assert.match(out.join(""), /lazy_shop\n {2}task 0: reward-hackable/);
  const closing = out.join("").split("\n").at(-1) ?? "";
  assert.match(closing, /^Total: \d+ task\(s\) in \d+ environment\(s\): .*\d+ reward-hackable/);
  await assert.rejects(taskStatuses(["no_such_env"]), /no environment named "no_such_env"/);
});

test("the route: GET answers the environment's statuses (404 for an unknown one), POST takes a mark (400 without a note)", async () => {
  const url = (name: string) => `http://127.0.0.1/api/environments/${name}/task-status`;
  const params = (name: string) => ({ params: Promise.resolve({ name }) });
  const got = await taskStatusRoute.GET(new Request(url(LAZY_SHOP)), params(LAZY_SHOP));
  assert.equal(got.status, 200);
  assert.deepEqual(await got.json(), JSON.parse(JSON.stringify((await taskStatuses([LAZY_SHOP]))[0])));
  assert.equal((await taskStatusRoute.GET(new Request(url("nope")), params("nope"))).status, 404);
  const post = (body: unknown) => taskStatusRoute.POST(new Request(url(LAZY_SHOP), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), params(LAZY_SHOP));
  assert.equal((await post({ taskIdx: 0, kind: "unsolvable", note: "  " })).status, 400);
  const marked = await post({ taskIdx: 0, kind: "unsolvable", note: "the verifier accepts anything" });
  assert.equal(marked.status, 200, await marked.clone().text());
  assert.equal((await statusesOf(LAZY_SHOP))[0]?.status, "unsolvable");
});
