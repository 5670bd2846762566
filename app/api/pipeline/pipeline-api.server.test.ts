/**
 * The pipeline routes called as Next calls them (web Request in, Response out): start a gen job,
 * follow it over server-sent events to the end, read stage states, regenerate, edit.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import type { ScriptedLlm } from "../../../lib/testing/scripted-llm.ts";
import { useTempStudioHome } from "../../../lib/testing/temp-home.ts";

useTempStudioHome("awm-pipeline-api-");
Object.assign(process.env, { OPENAI_API_KEY: "test-key", AWM_STUDIO_GEN_MODEL: "scripted-generator", AWM_STUDIO_LLM_BACKOFF_MS: "5" });
const { startScriptedLlm } = await import("../../../lib/testing/scripted-llm.ts");
const { plantSwapModel } = await import("../../../lib/pipeline/fixtures/plant-swap-model.ts");
const { closeStudioDb } = await import("../../../lib/store/db.ts");
const jobsRoute = await import("./jobs/route.ts");
const jobRoute = await import("./jobs/[id]/route.ts");
const eventsRoute = await import("./jobs/[id]/events/route.ts");
const statesRoute = await import("../environments/[name]/pipeline/route.ts");
const regenRoute = await import("../environments/[name]/pipeline/[stage]/route.ts");
const artifactsRoute = await import("../environments/[name]/pipeline/artifacts/route.ts");
const recheckRoute = await import("../environments/[name]/pipeline/recheck/route.ts");
const { loadEnvironment } = await import("../../../lib/store/load-environment.ts");
const { listVersions } = await import("../../../lib/store/artifacts.ts");

const SEEDS_FILE = path.join(import.meta.dirname, "..", "..", "..", "lib", "pipeline", "fixtures", "seed-scenarios.jsonl");
const ENV = "plant_swap_club_1";
let llm: ScriptedLlm;

before(async () => {
  llm = await startScriptedLlm(plantSwapModel({ wrongFirst: true }));
  process.env.OPENAI_BASE_URL = llm.baseUrl;
});

after(async () => {
  await llm.close();
  await closeStudioDb();
});

type Handler = (request: Request, arg: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(handler: Handler, url: string, params: Record<string, string> = {}, body?: unknown): Promise<Response> {
  const init = body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } };
  return handler(new Request(`http://studio.test${url}`, init), { params: Promise.resolve(params) });
}

async function sseEvents(response: Response): Promise<{ event: string; data: any }[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => ({ event: /^event: (.*)$/m.exec(block)![1]!, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as unknown }));
}

async function followToEnd(jobId: string) {
  const response = await call(eventsRoute.GET, `/api/pipeline/jobs/${jobId}/events`, { id: jobId });
  assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
  return sseEvents(response);
}

test("gen over HTTP: start, follow the events to the end, read the stage states", { timeout: 60_000 }, async () => {
  const started = await call(jobsRoute.POST, "/api/pipeline/jobs", {}, { seedsFile: SEEDS_FILE, count: 1, tasks: 2 });
  assert.equal(started.status, 200);
  const { jobId } = (await started.json()) as { jobId: string };

  const events = await followToEnd(jobId);
  const done = events.at(-1)!;
  assert.equal(done.event, "done");
  assert.equal(done.data.status, "finished");
  assert.equal(done.data.environments[ENV].passed, 7);
  const failedAttempts = events.filter((event) => event.event === "attempt" && !event.data.passed).map((event) => `${event.data.stage} ${event.data.key}`.trim());
  assert.deepEqual(failedAttempts.sort(), ["code", "schema", "verifier code:1"]);

  const job = await (await call(jobRoute.GET, `/api/pipeline/jobs/${jobId}`, { id: jobId })).json();
  assert.equal(job.stages.schema.attempts, 2);
  assert.ok(job.totals.promptTokens > 0);

  const states = await (await call(statesRoute.GET, `/api/environments/${ENV}/pipeline`, { name: ENV })).json();
  assert.deepEqual(states.stages.map((stage: { state: string }) => stage.state), ["passed", "passed", "passed", "passed", "passed", "passed", "passed"]);
});

test("regen over HTTP: a job per request; unknown stages and environments are refused with the reason", { timeout: 60_000 }, async () => {
  const response = await call(regenRoute.POST, `/api/environments/${ENV}/pipeline/spec`, { name: ENV, stage: "spec" }, { cascade: false });
  assert.equal(response.status, 200);
  const { jobId } = (await response.json()) as { jobId: string };
  assert.equal((await followToEnd(jobId)).at(-1)!.data.status, "finished");

  const badStage = await call(regenRoute.POST, `/api/environments/${ENV}/pipeline/tables`, { name: ENV, stage: "tables" }, {});
  assert.equal(badStage.status, 400);
  assert.match(((await badStage.json()) as { error: { message: string } }).error.message, /unknown stage "tables"/);
  const missing = await call(regenRoute.POST, "/api/environments/nowhere/pipeline/spec", { name: "nowhere", stage: "spec" }, {});
  assert.equal(missing.status, 404);
});

test("edit over HTTP returns the new version and its check", async () => {
  const response = await call(artifactsRoute.POST, `/api/environments/${ENV}/pipeline/artifacts`, { name: ENV }, {
    action: "edit",
    kind: "tasks",
    record: { scenario: "Plant Swap Club 1", tasks: ["Do it.", "do it"] },
  });
  assert.equal(response.status, 200);
  const change = (await response.json()) as { version: number; check: { passed: boolean; errors: string[]; warnings: string[] } };
  assert.equal(change.version, 2);
  assert.equal(change.check.passed, false);
  assert.match(change.check.errors.join("\n"), /tasks\[1\] repeats tasks\[0\]/);
  // Length is a guess about quality: it warns, it never fails the check.
  assert.match(change.check.warnings.join("\n"), /tasks\[0\] "Do it\.": too short/);
});

test("an edit the studio could not use is a 400 naming what is wrong, and no version is stored", async () => {
  const edit = (kind: string, key: string, record: unknown) => call(artifactsRoute.POST, `/api/environments/${ENV}/pipeline/artifacts`, { name: ENV }, { action: "edit", kind, key, record });
  const { id } = await loadEnvironment(ENV);
  const versionsBefore = await listVersions(id, "tasks");
  for (const [kind, key, record, message] of [
    ["tasks", "", { scenario: "Plant Swap Club 1", tasks: "renew my book" }, /the tasks record does not have AWM's shape: tasks: Invalid input: expected array, received string/],
    ["tasks", "", { scenario: "Someone Else's Club", tasks: ["Swap a fern."] }, /the tasks record's scenario is "Someone Else's Club", not this environment's scenario "Plant Swap Club 1"/],
    ["verifier", "code:0", { scenario: "Plant Swap Club 1", task_idx: 3, task: "x", verification: { code: "def verify(): pass" } }, /the verifier code:0 record's task_idx is 3, not 0/],
    ["verifier", "python:0", { scenario: "Plant Swap Club 1", task_idx: 0, task: "x", verification: { code: "" } }, /verifier key "python:0" is not of the form code:<task index> or sql:<task index>/],
    ["spec", "extra", {}, /spec artifacts have no key \(got "extra"\)/],
  ] as const) {
    const response = await edit(kind, key, record);
    assert.equal(response.status, 400, `${kind} ${key}: ${response.status}`);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, message);
  }
  assert.deepEqual(await listVersions(id, "tasks"), versionsBefore, "nothing stored");
});

test("a check of an edit not saved checks the edit, says so, and stores nothing; without an edit it checks the current version", async () => {
  const check = (body: unknown) => call(recheckRoute.POST, `/api/environments/${ENV}/pipeline/recheck`, { name: ENV }, body);
  const { id } = await loadEnvironment(ENV);
  const versionsBefore = await listVersions(id, "tasks");
  const draft = await check({ kind: "tasks", record: { scenario: "Plant Swap Club 1", tasks: ["Swap the fern 'Ada' for a cactus.", "swap the fern 'ada' for a cactus"] } });
  assert.equal(draft.status, 200);
  const drafted = (await draft.json()) as { draft: boolean; passed: boolean; errors: string[]; version: number };
  assert.equal(drafted.draft, true);
  assert.equal(drafted.passed, false);
  assert.match(drafted.errors.join("\n"), /tasks\[1\] repeats tasks\[0\]/);
  const saved = (await (await check({ kind: "tasks" })).json()) as { draft: boolean; version: number };
  assert.deepEqual([saved.draft, saved.version], [false, versionsBefore[0]!.version]);
  assert.equal((await check({ kind: "tasks", record: { tasks: "renew my book" } })).status, 400, "an edit the studio could not use is refused as a save would be");
  assert.deepEqual(await listVersions(id, "tasks"), versionsBefore, "nothing stored");
});

test("an unknown job id answers 404 naming it, before any event is streamed", async () => {
  for (const [handler, url] of [[jobRoute.GET, "/api/pipeline/jobs/nope"], [eventsRoute.GET, "/api/pipeline/jobs/nope/events"]] as const) {
    const response = await call(handler, url, { id: "nope" });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.deepEqual(await response.json(), { error: { message: "no job nope" } });
  }
});
