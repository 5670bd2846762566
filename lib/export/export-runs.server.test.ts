/**
 * Exports of real runs in every format, read back the way a trainer would: an imported AWM run
 * folder, a playtest and agent rollouts (the scripted model, the real client, a sandboxed tiny shop
 * and its code verifier), with and without tool calls.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { ScriptedHandler, ScriptedLlm } from "../testing/scripted-llm.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-export-runs-");
process.env.OPENAI_API_KEY = "test-key";
process.env.AWM_STUDIO_AGENT_MODEL = "scripted-agent";
process.env.AWM_STUDIO_LLM_RETRIES = "0";
const { asyncBufferFromFile, parquetReadObjects, parquetMetadataAsync } = await import("hyparquet");
const { startScriptedLlm } = await import("../testing/scripted-llm.ts");
const { AGENT_SHOP, BROKEN_VERIFIER_TASK, RENAME_TASK, callTool, finalAnswer, importAgentShop, scriptedEpisode } = await import("../testing/agent-shop.ts");
const manager = await import("../instances/manager.ts");
const { runEpisode } = await import("../agent/episode.ts");
const { agentSettings } = await import("../agent/settings.ts");
const { finishPlaytest, playtestCall, startPlaytest } = await import("../playtest/session.ts");
const { importRunFolder } = await import("../trajectories/import-run.ts");
const { buildRunFolder } = await import("../testing/run-folder.ts");
const { deleteTrajectory, getTrajectory, pageTrajectoryRecords } = await import("../trajectories/store.ts");
const { verifyTrajectory } = await import("../verify/verify-trajectory.ts");
const { setTrajectoryReview } = await import("../trajectories/review.ts");
const { loadEnvironment } = await import("../store/load-environment.ts");
const { currentArtifact } = await import("../store/artifacts.ts");
const { taskStatuses } = await import("../curation/task-status.ts");
const { exportRuns } = await import("./export-runs.ts");
const { TaskTally, verlRow, skyrlRow } = await import("./trainer-rows.ts");
const { main } = await import("../cli/main.ts");
const { datasetSummary } = await import("./dataset-summary.ts");
const { exportDownload } = await import("./download.ts");

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "awm-export-out-"));
const ADD_TASK = 1;
let llm: ScriptedLlm;
let model: ScriptedHandler = () => finalAnswer();
const runIds: Record<string, string> = {};

async function agentRun(handler: ScriptedHandler, taskIdx: number): Promise<string> {
  model = handler;
  const instance = await manager.createInstance(AGENT_SHOP);
  try {
    const result = await runEpisode({ environmentName: AGENT_SHOP, taskIdx, instanceId: instance.id, settings: agentSettings({}) });
    return result.trajectoryId;
  } finally {
    await manager.stopInstance(instance.id);
  }
}

before(async () => {
  llm = await startScriptedLlm((request) => model(request));
  process.env.OPENAI_BASE_URL = llm.baseUrl;
  await importAgentShop();
  const environment = await loadEnvironment(AGENT_SHOP);
  assert.ok(environment);
  const code = await currentArtifact<{ full_code: string }>(environment.id, "code");
  assert.ok(code);
  const folder = await buildRunFolder(
    { code: code.record.full_code, seedDbFile: environment.seedDbFile, scenario: "Tiny Shop", taskIdx: RENAME_TASK, task: "Rename product 1 to 'Blue Mug'.", calls: [{ name: "rename_product", arguments: { product_id: 1, name: "Blue Mug" } }] },
    path.join(scratch, "fixture-run"),
  );
  runIds.imported = (await importRunFolder(folder)).trajectoryId;
  await verifyTrajectory(runIds.imported, "code");

  const session = await startPlaytest(AGENT_SHOP, ADD_TASK);
  await playtestCall(session, "add_product", { name: "Tea Pot", price: 20 });
  await finishPlaytest(session, "Added the Tea Pot.");
  runIds.playtest = session.trajectoryId;

  runIds.agentRight = await agentRun(scriptedEpisode([callTool("rename_product", { product_id: 1, name: "Blue Mug" }), finalAnswer("Renamed.")]), RENAME_TASK);
  runIds.agentNoTools = await agentRun(scriptedEpisode([finalAnswer("I did nothing.")]), ADD_TASK);
  runIds.brokenVerifier = await agentRun(scriptedEpisode([finalAnswer("Closed.")]), BROKEN_VERIFIER_TASK);
  await setTrajectoryReview(runIds.agentNoTools, { tags: ["reward hacking"], note: "answers without doing anything" });
});

after(async () => {
  await manager.stopAll();
  await llm.close();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function allRuns() {
  return pageTrajectoryRecords({ take: 1000 });
}

/** The runs an export takes: all but the infrastructure failure (the broken verifier's run, never scored). */
async function exportedRuns() {
  return (await allRuns()).filter((run) => run.id !== runIds.brokenVerifier);
}

function readJsonl(file: string): Record<string, unknown>[] {
  return fs.readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("export-runs", () => {
  test("the runs are what the test made: graded, with and without tool calls", async () => {
    const runs = await allRuns();
    assert.equal(runs.length, 5);
    const byId = new Map(runs.map((run) => [run.id, run]));
    assert.equal(byId.get(runIds.imported!)?.verdictClass, "complete");
    assert.equal(byId.get(runIds.playtest!)?.verdictClass, "complete");
    assert.equal(byId.get(runIds.agentRight!)?.reward, 1);
    assert.equal(byId.get(runIds.agentNoTools!)?.steps.some((step) => step.toolName), false);
    assert.equal(byId.get(runIds.brokenVerifier!)?.verdictClass, "judge_error");
  });

  test("awm: every run folder imports back to the same steps and verdicts", async () => {
    const out = path.join(scratch, "awm");
    const result = await exportRuns(out, "awm");
    // Into the same folder again: refused, so no earlier export's run folders pass for this one's.
    await assert.rejects(exportRuns(out, "awm"), /is not empty: an awm export writes run folders into a new or empty folder/);
    assert.equal(result.runs, 4, "every run but the infrastructure failure");
    for (const run of await exportedRuns()) {
      const folder = path.join(out, run.environmentName, `task_${run.taskIdx}`, run.id);
      assert.ok(fs.existsSync(path.join(folder, "trajectory.json")), folder);
      assert.equal(fs.existsSync(path.join(folder, "final.db")), Boolean(run.finalDbFile));
      const { trajectoryId } = await importRunFolder(folder);
      const back = await getTrajectory(trajectoryId);
      await deleteTrajectory(trajectoryId);
      assert.ok(back);
      const project = (steps: typeof run.steps) => steps.map((step) => [step.role, step.content, step.toolName, step.toolArguments, step.toolResponse, step.isFinal, step.malformed]);
      assert.deepEqual(project(back.steps), project(run.steps), `steps of ${run.source} run`);
      assert.deepEqual([back.taskIdx, back.task, back.model, back.verdictClass, back.reward], [run.taskIdx, run.task, run.model, run.verdictClass, run.reward]);
      assert.deepEqual(
        back.verdicts.map((verdict) => [verdict.mode, verdict.classification, verdict.reward]),
        ["code", "sql"].flatMap((mode) => run.verdicts.filter((verdict) => verdict.mode === mode && verdict.classification !== "judge_error").slice(0, 1).map((verdict) => [verdict.mode, verdict.classification, verdict.reward])),
      );
    }
  });

  test("openai: chat-completions messages, tool calls answered by id, tools as JSON Schemas", async () => {
    const out = path.join(scratch, "openai");
    const result = await exportRuns(out, "openai");
    const rows = readJsonl(result.files[0]!.path);
    assert.equal(rows.length, 4);
    const runs = new Map((await exportedRuns()).map((run) => [run.id, run]));
    for (const row of rows) {
      const run = runs.get(row.trajectory_id as string);
      assert.ok(run);
      assert.deepEqual([row.reward, row.classification, row.environment, row.task_idx, row.task], [run.reward, run.verdictClass, AGENT_SHOP, run.taskIdx, run.task]);
      const messages = row.messages as { role: string; content: string; tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
      assert.deepEqual(messages.slice(0, 2).map((message) => message.role), ["system", "user"]);
      assert.equal(messages[1]?.content, run.task);
      const ids = new Set<string>();
      for (const message of messages) {
        for (const call of message.tool_calls ?? []) {
          assert.equal(call.type, "function");
          assert.equal(typeof call.id, "string");
          assert.equal(typeof JSON.parse(call.function.arguments), "object");
          ids.add(call.id);
        }
        if (message.role === "tool") assert.ok(ids.has(message.tool_call_id ?? ""), `tool answer ${message.tool_call_id} follows its call`);
      }
      const calls = messages.flatMap((message) => message.tool_calls ?? []).map((call) => call.function.name);
      assert.deepEqual(calls, run.steps.filter((step) => step.toolName).map((step) => step.toolName));
      assert.equal(messages.at(-1)?.role, "assistant");
      assert.equal(messages.at(-1)?.content, run.steps.at(-1)?.content);
      const tools = row.tools as { type: string; function: { name: string; parameters: { properties: Record<string, { type?: string }>; required: string[] } } }[];
      const rename = tools.find((tool) => tool.function.name === "rename_product");
      assert.equal(rename?.type, "function");
      assert.equal(rename?.function.parameters.properties.product_id?.type, "integer");
      assert.ok(rename?.function.parameters.required.includes("product_id"));
    }
    const reviewed = rows.find((row) => row.trajectory_id === runIds.agentNoTools);
    assert.deepEqual([reviewed?.tags, reviewed?.review_note], [["reward hacking"], "answers without doing anything"]);
    const withCall = rows.find((row) => row.trajectory_id === runIds.imported);
    const call = (withCall?.messages as { tool_calls?: { function: { arguments: string } }[] }[])[2]?.tool_calls?.[0];
    assert.deepEqual(JSON.parse(call?.function.arguments ?? ""), { product_id: 1, name: "Blue Mug" });
  });

  test("trl: SFT rows of good runs with object arguments and named tool turns; one GRPO prompt per task", async () => {
    const out = path.join(scratch, "trl");
    const result = await exportRuns(out, "trl");
    const [sft, grpo] = result.files.map((file) => readJsonl(file.path));
    assert.deepEqual(new Set(sft!.map((row) => row.trajectory_id)), new Set([runIds.imported, runIds.playtest, runIds.agentRight]));
    for (const row of sft!) {
      const messages = row.messages as { role: string; name?: string; tool_calls?: { type: string; function: { name: string; arguments: unknown } }[] }[];
      const call = messages.find((message) => message.tool_calls)?.tool_calls?.[0];
      assert.equal(typeof call?.function.arguments, "object");
      const tool = messages.find((message) => message.role === "tool");
      assert.equal(tool?.name, call?.function.name);
      assert.ok((row.tools as unknown[]).length > 0);
    }
    assert.deepEqual(grpo!.map((row) => row.task_idx).sort(), [RENAME_TASK, ADD_TASK], "the broken verifier's task has no run to export");
    for (const row of grpo!) {
      const prompt = row.prompt as { role: string; content: string }[];
      assert.deepEqual(prompt.map((message) => message.role), ["system", "user"]);
      assert.equal(row.environment, AGENT_SHOP);
    }
  });

  for (const format of ["verl", "skyrl"] as const) {
    test(`${format}: one Parquet row per task of the exported runs, with how they went; reads back to the same values`, async () => {
      const out = path.join(scratch, format);
      const result = await exportRuns(out, format);
      const file = result.files[0]!.path;
      const buffer = await asyncBufferFromFile(file);
      const rows = (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
      const tally = new TaskTally();
      for (const run of await exportedRuns()) tally.add(run);
      const build = format === "verl" ? verlRow : skyrlRow;
      assert.deepEqual(rows, tally.tasks().map((task, index) => build(task, index)));
      const metadata = await parquetMetadataAsync(buffer);
      assert.equal(metadata.row_groups.length, 1);
      // Each task once, whatever the number of its runs: rename (the imported and the right agent run), add (the playtest and the run that did nothing).
      const extra = (row: Record<string, unknown>) => row.extra_info as { task_idx: bigint; runs: bigint; mean_reward: number; pass_rate: number; index: bigint };
      assert.deepEqual(
        rows.map((row) => [Number(extra(row).task_idx), Number(extra(row).runs), extra(row).mean_reward, extra(row).pass_rate]).sort((a, b) => a[0]! - b[0]!),
        [
          [RENAME_TASK, 2, 1, 1],
          [ADD_TASK, 2, 0.5, 0.5],
        ].sort((a, b) => a[0]! - b[0]!),
      );
      assert.equal(typeof extra(rows[0]!).index, "bigint");
      const groundTruth = JSON.parse(((format === "verl" ? rows[0]!.reward_model : rows[0]!.reward_spec) as { ground_truth: string }).ground_truth) as unknown;
      assert.deepEqual(groundTruth, { environment: AGENT_SHOP, task_idx: Number(extra(rows[0]!).task_idx) });
    });
  }

  test("--curated-only takes exactly the runs of curated tasks; the CLI prints what it wrote", async () => {
    const statuses = await taskStatuses([AGENT_SHOP]);
    const curated = new Set(statuses[0]!.tasks.filter((task) => task.status === "curated").map((task) => task.taskIdx));
    const out = path.join(scratch, "curated");
    const lines: string[] = [];
    const code = await main(["export-runs", out, "--env", AGENT_SHOP, "--curated-only", "--format", "openai", "--json"], { out: (text) => lines.push(text), err: (text) => lines.push(text) });
    assert.equal(code, 0, lines.join("\n"));
    const report = JSON.parse(lines.join("\n")) as { runs: number; files: { path: string; records: number }[] };
    const expected = (await exportedRuns()).filter((run) => run.taskIdx !== null && curated.has(run.taskIdx));
    assert.deepEqual([...curated].sort(), [RENAME_TASK, ADD_TASK], "the broken verifier's task is not curated");
    assert.equal(expected.length, 4, "the run of the task with the broken verifier is left out");
    assert.equal(report.runs, expected.length);
    const rows = readJsonl(report.files[0]!.path);
    assert.deepEqual(rows.map((row) => row.trajectory_id).sort(), expected.map((run) => run.id).sort());

    const unknown: string[] = [];
    assert.equal(await main(["export-runs", out, "--env", "no_such_env"], { out: (text) => unknown.push(text), err: (text) => unknown.push(text) }), 1);
    assert.match(unknown.join("\n"), /unknown environment\(s\): no_such_env/);
    const fresh = path.join(scratch, "never-made");
    assert.equal(await main(["export-runs", fresh, "--env", "no_such_env"], { out: () => undefined, err: () => undefined }), 1);
    assert.equal(fs.existsSync(fresh), false, "a failed export leaves no folder it made");
  });

  test("export --curated-only writes only curated tasks, renumbered, with their verifiers", async () => {
    const out = path.join(scratch, "curated-library");
    const lines: string[] = [];
    assert.equal(await main(["export", out, "--curated-only", "--json"], { out: (text) => lines.push(text), err: (text) => lines.push(text) }), 0, lines.join("\n"));
    const report = JSON.parse(lines.join("\n")) as { environments: string[]; tasks: Record<string, number[]> };
    assert.deepEqual(report.environments, [AGENT_SHOP]);
    assert.deepEqual(report.tasks, { [AGENT_SHOP]: [RENAME_TASK, ADD_TASK] });
    const tasks = readJsonl(path.join(out, "gen_tasks.jsonl"));
    assert.deepEqual((tasks[0]?.tasks as string[]).length, 2);
    const verifiers = readJsonl(path.join(out, "gen_verifier.pure_code.jsonl"));
    assert.deepEqual(verifiers.map((verifier) => verifier.task_idx).sort(), [0, 1]);
    assert.ok(verifiers.every((verifier) => !String((verifier.verification as { code: string }).code).includes("opening_hours")), "the broken verifier stays out");

    const text: string[] = [];
    assert.equal(await main(["export", path.join(scratch, "curated-text"), "--curated-only", "--env", AGENT_SHOP], { out: (line) => text.push(line), err: (line) => text.push(line) }), 0);
    assert.match(text.join("\n"), /^Exported 1 environment\(s\) \(curated tasks only, renumbered\) to /);
    const unknown: string[] = [];
    assert.equal(await main(["export", path.join(scratch, "curated-unknown"), "--curated-only", "--env", "no_such_env"], { out: (line) => unknown.push(line), err: (line) => unknown.push(line) }), 1);
    assert.deepEqual(unknown, ["awm-studio export: unknown environment(s): no_such_env"]);
  });

  test("the Datasets page: the summary counts the selection; downloads are one file, or a tar of the folder, and leave nothing behind", async () => {
    const summary = await datasetSummary({});
    assert.deepEqual([summary.runs, summary.tasks, summary.environments], [4, 2, 1], "the infrastructure failure is not counted");
    assert.deepEqual(summary.bySource, { import: 1, playtest: 1, agent: 2 });
    assert.deepEqual(summary.rewards, [{ reward: 0, runs: 1 }, { reward: 1, runs: 3 }]);
    assert.equal((await datasetSummary({ curatedOnly: true })).runs, 4);

    const jsonl = await exportDownload("openai", { environments: [AGENT_SHOP] });
    assert.match(jsonl.filename, /runs\.openai\.jsonl$/);
    assert.equal(Buffer.from(await new Response(jsonl.body).arrayBuffer()).toString("utf8").trim().split("\n").length, 4);

    const tar = await exportDownload("awm", {});
    assert.equal(tar.contentType, "application/x-tar");
    const file = path.join(scratch, "runs.tar");
    fs.writeFileSync(file, Buffer.from(await new Response(tar.body).arrayBuffer()));
    const names = execFileSync("tar", ["-tf", file], { encoding: "utf8" }).trim().split("\n");
    assert.equal(names.filter((name) => name.endsWith("/trajectory.json")).length, 4);
    assert.ok(!names.some((name) => name.includes(runIds.brokenVerifier!)), "no export takes an infrastructure failure");
    assert.ok(names.includes(`${AGENT_SHOP}/task_${RENAME_TASK}/${runIds.imported}/initial.db`));
    const extracted = path.join(scratch, "untarred");
    fs.mkdirSync(extracted);
    execFileSync("tar", ["-xf", file, "-C", extracted]);
    const back = await importRunFolder(path.join(extracted, AGENT_SHOP, `task_${RENAME_TASK}`, runIds.imported!));
    await deleteTrajectory(back.trajectoryId);
    assert.deepEqual(back.verdicts, ["code"]);
    assert.deepEqual(fs.readdirSync(path.join(home, "exports")), [], "scratch folders are removed");
  });
});

test("a run without a reward (never judged, or its judging failed) is no training data: left out, and counted apart", async () => {
  const started = await startPlaytest(AGENT_SHOP, RENAME_TASK);
  try {
    await playtestCall(started, "rename_product", { product_id: 1, name: "Blue Mug" });
    const summary = await datasetSummary({});
    assert.equal(summary.unjudged, 1, "the playtest in play (the broken verifier's run is an infrastructure failure, left out before)");
    const out = path.join(scratch, "unjudged");
    const { runs } = await exportRuns(out, "openai");
    assert.equal(runs, (await exportedRuns()).length - 1, "all but the playtest in play");
    assert.ok(!readJsonl(path.join(out, "runs.openai.jsonl")).some((row) => row.trajectory_id === started.trajectoryId));
  } finally {
    await manager.stopInstance(started.instanceId);
    await deleteTrajectory(started.trajectoryId);
  }
});

test("a passing run a reviewer tagged \"reward hacking\" is no run to imitate, and makes its task reward-hackable", async () => {
  await setTrajectoryReview(runIds.agentRight!, { tags: ["reward hacking"], note: "" });
  try {
    const [sft] = (await exportRuns(path.join(scratch, "trl-tagged"), "trl")).files.map((file) => readJsonl(file.path));
    assert.ok(!sft!.some((row) => row.trajectory_id === runIds.agentRight));
    const [environment] = await taskStatuses([AGENT_SHOP]);
    const rename = environment!.tasks.find((task) => task.taskIdx === RENAME_TASK)!;
    assert.equal(rename.status, "reward-hackable");
    assert.match(rename.reason, /but a reviewer tagged it "reward hacking"/);
  } finally {
    await setTrajectoryReview(runIds.agentRight!, { tags: [], note: "" });
  }
});

test("rows carry the tools the current code serves once an instance of it has run; else the spec's, and the export and the summary name those environments", async () => {
  const instance = await manager.createInstance(AGENT_SHOP);
  const served = manager.instanceTools(instance.id);
  await manager.stopInstance(instance.id);
  const ran = await exportRuns(path.join(scratch, "openai-served"), "openai");
  assert.deepEqual(ran.toolsFromSpec, []);
  const row = readJsonl(ran.files[0]!.path)[0]!;
  assert.deepEqual(row.tools, served.map((tool) => ({ type: "function", function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } })), "the catalog agents were given");
  assert.deepEqual((await datasetSummary({})).toolsFromSpec, []);

  // New code no instance has run: its catalog is not known.
  const { id } = await loadEnvironment(AGENT_SHOP);
  const code = (await currentArtifact<{ full_code: string }>(id, "code"))!.record;
  const { appendArtifactVersions } = await import("../store/artifacts.ts");
  await appendArtifactVersions(id, [{ kind: "code", key: "", record: { ...code, full_code: `${code.full_code}\n# edited\n` } }], "edit");
  const edited = await exportRuns(path.join(scratch, "openai-spec"), "openai");
  assert.deepEqual(edited.toolsFromSpec, [AGENT_SHOP]);
  assert.deepEqual((await datasetSummary({})).toolsFromSpec, [AGENT_SHOP]);
  const io = { out: [] as string[], err: [] as string[] };
  await main(["export-runs", path.join(scratch, "openai-spec-cli"), "--format", "openai"], { out: (text: string) => io.out.push(text), err: (text: string) => io.err.push(text) });
  assert.match(io.out.join("\n"), new RegExp(`The tools of 1 environment\\(s\\) come from their spec, not from what their code serves \\(no instance of that code has run here; start one to record it\\): ${AGENT_SHOP}`));
});
