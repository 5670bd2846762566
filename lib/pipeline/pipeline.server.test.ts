/**
 * The generation pipeline against a scripted OpenAI-compatible server playing a model for a tiny
 * "Plant Swap Club": wrong first answers are corrected by the loop, regeneration versions and
 * stales, cascade refreshes, edits and reverts re-run checks.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { ScriptedHandler, ScriptedLlm, ScriptedReply } from "../testing/scripted-llm.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-pipeline-");
process.env.OPENAI_API_KEY = "test-key";
process.env.AWM_STUDIO_GEN_MODEL = "scripted-generator";
process.env.AWM_STUDIO_LLM_BACKOFF_MS = "5";
process.env.AWM_STUDIO_LLM_RETRIES = "1";
const { startScriptedLlm } = await import("../testing/scripted-llm.ts");
const { plantSwapModel, PLANT_SWAP_ANSWERS, PLANT_SWAP_TASKS } = await import("./fixtures/plant-swap-model.ts");
const { startGenJob } = await import("./job-runner.ts");
const { readSeedScenarios } = await import("./seeds.ts");
const { stageStates } = await import("./stage-state.ts");
const { regenerateStage, startRegeneration } = await import("./regenerate.ts");
const { editArtifact, recheckArtifact, revertArtifact } = await import("./edit.ts");
const { jobProgress } = await import("./progress.ts");
const { studioDb, closeStudioDb } = await import("../store/db.ts");
const { loadEnvironment } = await import("../store/load-environment.ts");
const { currentArtifact } = await import("../store/artifacts.ts");
const { PIPELINE_STAGES } = await import("../awm/types.ts");

const SEEDS_FILE = path.join(import.meta.dirname, "fixtures", "seed-scenarios.jsonl");
const ENV = "plant_swap_club_1";

let llm: ScriptedLlm;
/** The model the scripted server plays; a test swaps it to get a different answer. */
let model: ScriptedHandler = plantSwapModel({ wrongFirst: true });

before(async () => {
  llm = await startScriptedLlm((request) => model(request));
  process.env.OPENAI_BASE_URL = llm.baseUrl;
});

after(async () => {
  await llm.close();
  await closeStudioDb();
});

function requestsFor(stage: string, attempt: number) {
  return llm.requests.filter((request) => request.body.metadata?.stage === stage && request.body.metadata?.attempt === String(attempt));
}

function promptText(request: { body: { messages: { content: string }[] } }): string {
  return request.body.messages.map((message) => message.content).join("\n");
}

async function stageRunsOf(jobId: string) {
  return studioDb().stageRun.findMany({ where: { jobId }, include: { stageAttempts: { orderBy: { attempt: "asc" } } }, orderBy: [{ stage: "asc" }, { key: "asc" }] });
}

describe("gen: one Plant Swap Club from the project's seeds", () => {
  let jobId: string;

  before(async () => {
    const handle = await startGenJob({ seedsFile: SEEDS_FILE, seeds: readSeedScenarios(SEEDS_FILE), count: 1, tasks: 2, concurrency: 4, maxAttempts: 5, verifierMode: "code" });
    jobId = handle.jobId;
    const outcome = await handle.done;
    assert.equal(outcome.status, "finished", outcome.error);
  });

  test("every attempt is recorded: wrong first answers fail, the corrected ones pass", async () => {
    const runs = await stageRunsOf(jobId);
    const attempts = Object.fromEntries(runs.map((run) => [`${run.stage}${run.key ? ` ${run.key}` : ""}`, run.stageAttempts.map((attempt) => attempt.passed)]));
    assert.deepEqual(attempts, {
      "code": [false, true],
      "scenario batch:0": [true],
      "schema": [false, true],
      "seed": [true],
      "spec": [true],
      "tasks": [true],
      "verifier code:0": [true],
      "verifier code:1": [false, true],
    });
    assert.ok(runs.every((run) => run.status === "passed"));
    const schemaRun = runs.find((run) => run.stage === "schema")!;
    assert.match(schemaRun.stageAttempts[0]!.error, /table plants: CREATE TABLE failed: near ",": syntax error/);
    assert.ok(runs.flatMap((run) => run.stageAttempts).every((attempt) => attempt.llmCallId && attempt.prompt.length > 0));
  });

  test("each failed check's errors reach the next attempt's prompt", () => {
    const [schemaRetry] = requestsFor("schema", 2);
    assert.match(promptText(schemaRetry!), /failed its check[\s\S]*CREATE TABLE failed: near ",": syntax error/);
    const [codeRetry] = requestsFor("code", 2);
    assert.match(promptText(codeRetry!), /No module named 'plant_swap_helpers'/);
    const verifierRetry = requestsFor("verifier", 2);
    assert.equal(verifierRetry.length, 1);
    assert.match(promptText(verifierRetry[0]!), /cannot read a JSON object from the model's answer/);
    assert.ok(requestsFor("schema", 1).every((request) => !promptText(request).includes("failed its check")));
    assert.equal(requestsFor("tasks", 1)[0]!.body.metadata.scenario, "Plant Swap Club 1");
  });

  test("the environment is in the library, healthy, and its artifacts pass their checks again", async () => {
    const environment = await loadEnvironment(ENV);
    assert.ok(environment);
    assert.deepEqual(
      { tasks: environment.taskCount, tables: environment.tableCount, seedRows: environment.seedRows, tools: environment.toolCount, verifiers: environment.verifierCount, errors: environment.errorCount },
      { tasks: 2, tables: 2, seedRows: 7, tools: 3, verifiers: 2, errors: 0 },
    );
    const tasks = await currentArtifact<{ tasks: string[] }>(environment.id, "tasks");
    assert.deepEqual(tasks?.record.tasks, PLANT_SWAP_TASKS);
    for (const [kind, key] of [["tasks", ""], ["schema", ""], ["seed", ""], ["spec", ""], ["code", ""], ["verifier", "code:0"], ["verifier", "code:1"]] as const) {
      const check = await recheckArtifact(ENV, kind, key);
      assert.deepEqual(check.errors, [], `${kind} ${key}`);
      assert.equal(check.passed, true);
    }
  });

  test("stage states: all passed, attempts with their errors and LLM call ids", async () => {
    const states = await stageStates(ENV);
    assert.deepEqual(states.map((state) => state.state), PIPELINE_STAGES.map(() => "passed"));
    const code = states.find((state) => state.stage === "code")!;
    assert.equal(code.version, 1);
    const attempts = code.latestRun!.runs[0]!.attempts;
    assert.equal(attempts.length, 2);
    assert.match(attempts[0]!.errors.join("\n"), /the code does not start/);
    assert.ok(attempts.every((attempt) => attempt.llmCallId));
  });

  test("the LLM calls list says which stage attempt each generator call was asked for", async () => {
    const { listLlmCalls } = await import("../llm/calls.ts");
    const runs = await stageRunsOf(jobId);
    const tasksRun = runs.find((run) => run.stage === "tasks")!;
    const calls = await listLlmCalls({ stage: "tasks" });
    for (const attempt of tasksRun.stageAttempts) {
      const call = calls.find((candidate) => candidate.id === attempt.llmCallId);
      assert.deepEqual(call?.usedBy, [{ kind: "attempt", environment: ENV, stage: "tasks", key: "", attempt: attempt.attempt, jobId }]);
    }
    const batch = (await listLlmCalls({ stage: "scenario" })).find((call) => call.usedBy.length > 0);
    assert.deepEqual(batch?.usedBy, [{ kind: "attempt", environment: "", stage: "scenario", key: "batch:0", attempt: 1, jobId }]);
  });

  test("job progress counts runs, attempts and tokens per stage and per environment", async () => {
    const progress = await jobProgress(jobId);
    assert.ok(progress);
    assert.equal(progress.status, "finished");
    assert.equal(progress.stages.verifier?.passed, 2);
    assert.equal(progress.stages.verifier?.attempts, 3);
    assert.equal(progress.environments[ENV]?.passed, 7);
    assert.equal(progress.environments[ENV]?.status, "done");
    const calls = await studioDb().llmCall.aggregate({ _sum: { promptTokens: true, completionTokens: true } });
    assert.equal(progress.totals.promptTokens + progress.totals.completionTokens, (calls._sum.promptTokens ?? 0) + (calls._sum.completionTokens ?? 0));
    // No price set: the cost is unknown, not $0; a per-model price table sets it.
    assert.equal(progress.pricesSet, false);
    await studioDb().setting.create({ data: { key: "pipeline.prices", value: JSON.stringify({ "scripted-generator": { inPerMillion: 1, outPerMillion: 2 } }) } });
    assert.equal((await jobProgress(jobId))?.pricesSet, true);
    await studioDb().setting.delete({ where: { key: "pipeline.prices" } });
  });

  test("regenerating one stage adds a version and makes the downstream stages stale", async () => {
    const schema = { tables: [PLANT_SWAP_ANSWERS.schema.tables[0], { ...PLANT_SWAP_ANSWERS.schema.tables[1], indexes: [...PLANT_SWAP_ANSWERS.schema.tables[1]!.indexes, "CREATE INDEX idx_plants_status ON plants(status);"] }] };
    const base = plantSwapModel();
    model = (request) => (request.body.metadata?.stage === "schema" ? { content: JSON.stringify(schema) } : base(request));
    const result = await regenerateStage(ENV, "schema");
    assert.equal(result.status, "finished", result.error);
    const states = Object.fromEntries((await stageStates(ENV)).map((state) => [state.stage, state]));
    assert.equal(states.schema?.version, 2);
    assert.deepEqual(
      PIPELINE_STAGES.map((stage) => states[stage]?.state),
      ["passed", "passed", "passed", "stale", "stale", "stale", "stale"],
    );
    assert.match(states.seed?.staleBecause ?? "", /schema v2/);
  });

  test("a passing check of a stale stage's current version confirms it against its inputs: fresh again, its latest run unchanged", async () => {
    const before = (await stageStates(ENV)).find((state) => state.stage === "seed")!;
    assert.equal(before.state, "stale");
    const draft = await recheckArtifact(ENV, "seed", "", (await currentArtifact((await loadEnvironment(ENV)).id, "seed"))!.record);
    assert.equal((await stageStates(ENV)).find((state) => state.stage === "seed")!.state, "stale", "a check of an edit not saved confirms nothing");
    assert.equal(draft.draft, true);
    const check = await recheckArtifact(ENV, "seed");
    assert.equal(check.passed, true, check.errors.join("\n"));
    const after = (await stageStates(ENV)).find((state) => state.stage === "seed")!;
    assert.equal(after.state, "passed");
    assert.deepEqual(after.latestRun, before.latestRun);
  });

  test("cascade regenerates every downstream stage, and nothing is stale afterwards", async () => {
    const result = await regenerateStage(ENV, "schema", { cascade: true });
    assert.equal(result.status, "finished", result.error);
    const runs = await stageRunsOf(result.jobId);
    assert.deepEqual(runs.map((run) => `${run.stage}${run.key ? ` ${run.key}` : ""}`).sort(), ["code", "schema", "seed", "spec", "verifier code:0", "verifier code:1"]);
    const states = await stageStates(ENV);
    assert.deepEqual(states.map((state) => state.state), PIPELINE_STAGES.map(() => "passed"));
  });

  test("an edit creates a version and reports its check; a revert restores the old record as a new version", async () => {
    const environment = (await loadEnvironment(ENV));
    const before = (await currentArtifact<{ sample_data: { tables: { table_name: string; insert_statements: string[] }[] } }>(environment.id, "seed"))!;
    const edited = structuredClone(before.record);
    edited.sample_data.tables[1]!.insert_statements.push("INSERT INTO plants (id, owner_id, species, nickname) VALUES (5, 2, 'Aloe vera');");
    const edit = await editArtifact(ENV, "seed", "", edited);
    assert.equal(edit.version, before.version + 1);
    assert.equal(edit.check.passed, false);
    assert.match(edit.check.errors.join("\n"), /table plants insert_statements\[4\]: INSERT failed: 3 values for 4 columns/);
    assert.equal((await loadEnvironment(ENV)).seedFailures, 1);
    const broken = (await stageStates(ENV)).find((state) => state.stage === "seed");
    assert.equal(broken?.state, "failed", "a seed stage whose current rows fail shows failed");
    assert.match(broken?.problems.join("\n") ?? "", /INSERT failed: 3 values for 4 columns/);

    const revert = await revertArtifact(ENV, "seed", "", before.version);
    assert.equal(revert.version, before.version + 2);
    assert.equal(revert.check.passed, true);
    assert.deepEqual((await currentArtifact(environment.id, "seed"))?.record, before.record);
    assert.equal((await loadEnvironment(ENV)).seedFailures, 0);
    assert.equal((await stageStates(ENV)).find((state) => state.stage === "seed")?.problems.length, 0);
    // The seed holds what the stages after it were made from again: none of them is stale.
    assert.deepEqual((await stageStates(ENV)).map((state) => state.state), PIPELINE_STAGES.map(() => "passed"));
    const versions = await studioDb().artifactVersion.findMany({ where: { environmentId: environment.id, kind: "seed" }, orderBy: { version: "asc" } });
    assert.deepEqual(versions.map((version) => version.origin), ["generate", "edit", "revert"]);
  });

  test("a rate-limited call and a call that hangs are failed attempts with the reason; the stage still passes", async () => {
    const base = plantSwapModel();
    model = (request) => {
      const attempt = request.body.metadata?.attempt;
      if (request.body.metadata?.stage !== "tasks" || attempt === "3") return base(request);
      return attempt === "1" ? { status: 429, body: { error: { message: "slow down" } } } : { hang: true };
    };
    process.env.AWM_STUDIO_GEN_TIMEOUT_MS = "300";
    try {
      const result = await regenerateStage(ENV, "tasks");
      assert.equal(result.status, "finished", result.error);
      const [run] = await stageRunsOf(result.jobId);
      assert.deepEqual(run!.stageAttempts.map((attempt) => attempt.passed), [false, false, true]);
      assert.match(run!.stageAttempts[0]!.error, /the model call failed: .* answered HTTP 429: .*slow down.* \(after 2 tries\)/);
      assert.match(run!.stageAttempts[1]!.error, /the model call failed: .*timed out/i);
      assert.ok(run!.stageAttempts.every((attempt) => attempt.llmCallId));
      // The endpoint's failures are not the model's errors: the attempt after them is asked as the first was.
      assert.doesNotMatch(promptText(requestsFor("tasks", 3).at(-1)!), /slow down|timed out|failed its check/);
    } finally {
      delete process.env.AWM_STUDIO_GEN_TIMEOUT_MS;
    }
  });

  test("a model call refused for its settings (HTTP 401) stops the job at once, naming the stage and Settings; the stage is stopped, not failed", async () => {
    const base = plantSwapModel();
    model = (request) => (request.body.metadata?.stage === "tasks" ? { status: 401, body: { error: { message: "invalid api key" } } } : base(request));
    const before = (await stageStates(ENV)).find((state) => state.stage === "tasks")!.state;
    const requestsBefore = llm.requests.length;
    const result = await regenerateStage(ENV, "tasks");
    assert.equal(result.status, "failed");
    assert.match(result.error ?? "", /^tasks of plant_swap_club_1 stopped: the model call failed: .*401.*invalid api key.*Check the generator model \(base URL, model, API key\) in Settings/);
    const [run] = await stageRunsOf(result.jobId);
    assert.equal(run!.status, "stopped");
    const progress = await jobProgress(result.jobId);
    assert.deepEqual([progress?.stages.tasks?.failed, progress?.stages.tasks?.running, progress?.environments[ENV]?.status], [1, 0, "failed"], "a stopped stage is not running");
    assert.equal(run!.stageAttempts.length, 1, "no attempt is spent on an endpoint that refuses the settings");
    assert.equal(llm.requests.slice(requestsBefore).filter((request) => request.body.metadata?.stage === "tasks").length, 1, "one request: a 401 is not retried");
    const tasks = (await stageStates(ENV)).find((state) => state.stage === "tasks")!;
    assert.equal(tasks.state, before);
    assert.deepEqual(tasks.latestRun?.runs[0]?.attempts.map((attempt) => [attempt.passed, attempt.modelFailed]), [[false, true]], "shown as the model call's failure, not the check's");
  });

  test("a second regeneration of an environment is refused while one runs, naming its job; once it ends, the next starts", async () => {
    const base = plantSwapModel();
    model = (request) => (request.body.metadata?.stage === "tasks" ? { delayMs: 800, then: base(request) as ScriptedReply } : base(request));
    const first = await startRegeneration(ENV, "tasks");
    await assert.rejects(startRegeneration(ENV, "spec"), (error: Error) => {
      assert.equal(error.name, "ConflictError");
      assert.equal(error.message, `a regeneration of ${ENV} is running (job ${first.jobId}): wait for it to end, or cancel it on the Jobs page, then regenerate`);
      return true;
    });
    assert.equal((await first.done).status, "finished");
    // Two starts at once: one job, the other refused (each had passed the check before either stored its job).
    const both = await Promise.allSettled([startRegeneration(ENV, "tasks"), startRegeneration(ENV, "tasks")]);
    assert.deepEqual(both.map((outcome) => outcome.status).sort(), ["fulfilled", "rejected"]);
    await (both.find((outcome) => outcome.status === "fulfilled") as PromiseFulfilledResult<Awaited<ReturnType<typeof startRegeneration>>>).value.done;
    model = base;
    assert.equal((await regenerateStage(ENV, "tasks")).status, "finished");
  });

  test("regenerating the scenario rewrites its description under the same name", async () => {
    model = plantSwapModel();
    const result = await regenerateStage(ENV, "scenario");
    assert.equal(result.status, "finished", result.error);
    const environment = (await loadEnvironment(ENV));
    assert.match(environment.description, /reserve each other's cuttings/);
    assert.equal((await currentArtifact(environment.id, "scenario"))?.version, 2);
  });

  test("short tasks pass the tasks check on the first attempt; the length guess is a warning kept with the stage", async () => {
    const base = plantSwapModel();
    const short = ["Borrow the plant 'Monty'.", "List my swaps."];
    model = (request) => (request.body.metadata?.stage === "tasks" ? { content: JSON.stringify({ tasks: short }) } : base(request));
    const result = await regenerateStage(ENV, "tasks");
    assert.equal(result.status, "finished", result.error);
    const [run] = await stageRunsOf(result.jobId);
    assert.deepEqual(run!.stageAttempts.map((attempt) => attempt.passed), [true]);
    const tasks = (await stageStates(ENV)).find((state) => state.stage === "tasks")!;
    assert.equal(tasks.state, "passed");
    const [attempt] = tasks.latestRun!.runs[0]!.attempts;
    assert.deepEqual(attempt!.errors, []);
    assert.match(attempt!.warnings.join("\n"), /tasks\[0\] "Borrow the plant 'Monty'\.": too short[\s\S]*tasks\[1\] "List my swaps\.": too short/);
    assert.deepEqual((await currentArtifact<{ tasks: string[] }>((await loadEnvironment(ENV)).id, "tasks"))?.record.tasks, short);
  });
});

test("a gen job from which no environment comes out whole has failed, with the stage's errors", async () => {
  model = () => ({ content: JSON.stringify({ scenarios: [] }) });
  const handle = await startGenJob({ seedsFile: SEEDS_FILE, seeds: readSeedScenarios(SEEDS_FILE), count: 1, tasks: 2, concurrency: 2, maxAttempts: 2, verifierMode: "code" });
  const outcome = await handle.done;
  assert.equal(outcome.status, "failed");
  assert.match(outcome.error ?? "", /^\(scenarios\) \(scenario\): only 0 of 1 scenarios: batch 0 failed after 2 attempts/);
});
