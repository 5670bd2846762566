/**
 * Bulk triage over real SQLite: issue kinds read from a real import's validation (failing inserts,
 * a cut-off table, a shadowed route, a verifier that rewards nothing, a task marked unsolvable), the
 * selection route's actions, and what an exclusion does to `export`, `export-runs` and Datasets.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { startRouteServer, type RouteServer } from "../../../../lib/testing/route-server.ts";
import { useTempStudioHome } from "../../../../lib/testing/temp-home.ts";
import { tinyShopRecords, writeFixtureFolder } from "../../../../lib/testing/awm-fixture.ts";

const home = useTempStudioHome("awm-selection-api-");
delete process.env.OPENAI_BASE_URL;
const { importFolder } = await import("../../../../lib/library/import.ts");
const { listEnvironments } = await import("../../../../lib/store/environments.ts");
const { exportLibrary } = await import("../../../../lib/library/export.ts");
const { openLibraryExport } = await import("../../../../lib/library/export-download.ts");
const { exportRuns } = await import("../../../../lib/export/export-runs.ts");
const { datasetSummary } = await import("../../../../lib/export/dataset-summary.ts");
const { addVerdict, createTrajectory } = await import("../../../../lib/trajectories/store.ts");
const { markTask } = await import("../../../../lib/curation/marks.ts");
const { runningJob } = await import("../../../../lib/pipeline/job-runner.ts");
const { studioDb } = await import("../../../../lib/store/db.ts");
const { main } = await import("../../../../lib/cli/main.ts");

const TOKEN = "selection-api-test-token-0123456789abcdef";
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "awm-selection-out-"));
let server: RouteServer;

function fixtures() {
  const clean = tinyShopRecords("Clean Shop");
  const seed = tinyShopRecords("Seed Shop");
  seed.seed.sample_data.tables[1]!.insert_statements.push("INSERT INTO products (id, owner_id, name, price) VALUES (1, 1, 'Again', 1.0);");
  seed.seed.inserts_count = 4;
  const cut = tinyShopRecords("Cut Shop");
  cut.schema.db_schema.tables[0]!.ddl = "CREATE TABLE users (id INTEGER PRIMARY KEY, name";
  const shadow = tinyShopRecords("Shadow Shop");
  shadow.code.full_code = shadow.code.full_code.replace(
    "if __name__",
    `@app.post("/api/products", operation_id="add_product_again")\ndef add_product_again(req: AddRequest):\n    return {"id": 0}\n\n\nif __name__`,
  );
  const lenient = tinyShopRecords("Lenient Shop");
  lenient.verifiers[1]!.verification.code = `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return {"result": "complete"}\n`;
  return [clean, seed, cut, shadow, lenient];
}

before(async () => {
  await importFolder(writeFixtureFolder(fixtures()));
  await markTask("clean_shop", 1, { kind: "unsolvable", note: "needs a product nobody can add" });
  // Judged runs: exports take only runs with a reward.
  for (const environmentName of ["clean_shop", "seed_shop"]) {
    const { id } = await createTrajectory({ environmentName, taskIdx: 0, task: "Rename product 1 to 'Blue Mug'.", source: "import" });
    await addVerdict(id, { mode: "code", classification: "complete", reward: 1 });
  }
  server = await startRouteServer(
    [
      { pattern: /^\/api\/library\/selection$/, module: await import("./route.ts") },
      { pattern: /^\/api\/library\/exports\/(?<id>[^/]+)$/, module: await import("../exports/[id]/route.ts") },
    ],
    home,
    TOKEN,
  );
});

after(async () => {
  await server.close();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

const headers = { authorization: `Bearer ${TOKEN}` };
function select(body: unknown): Promise<Response> {
  return fetch(`${server.base}/api/library/selection`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (text) => void (out += `${text}\n`), err: (text) => void (err += `${text}\n`) });
  return { code, out, err };
}

test("the library summary carries each environment's issue kinds from its validation", async () => {
  const kinds = Object.fromEntries((await listEnvironments()).map((env) => [env.name, env.issueKinds]));
  assert.deepEqual(kinds, {
    clean_shop: [],
    // A cut-off table makes every INSERT into it fail too: both kinds are true of it.
    cut_shop: ["failing-inserts", "cut-off-tables"],
    lenient_shop: ["suspicious-verifiers"],
    seed_shop: ["failing-inserts"],
    shadow_shop: ["shadowed-routes"],
  });
});

test("list --issue-kind filters by kind, unsolvable tasks from task status", async () => {
  const names = async (kind: string) => ((JSON.parse((await cli("list", "--issue-kind", kind, "--json")).out) as { environments: { name: string }[] }).environments).map((env) => env.name);
  assert.deepEqual(await names("shadowed-routes"), ["shadow_shop"]);
  assert.deepEqual(await names("unsolvable-tasks"), ["clean_shop"]);
  const wrong = await cli("list", "--issue-kind", "typos");
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /--issue-kind must be one of failing-inserts, .*"typos"/);
});

test("an unknown environment fails the whole action and is named; nothing changes", async () => {
  const response = await select({ action: "exclude", environments: ["seed_shop", "no_such_shop"] });
  assert.equal(response.status, 404);
  assert.match(((await response.json()) as { error: { message: string } }).error.message, /no_such_shop/);
  assert.equal((await listEnvironments()).some((env) => env.excluded), false);
  const invalid = await select({ action: "regenerate", environments: ["seed_shop"], stage: "paint" });
  assert.equal(invalid.status, 400);
  assert.match(((await invalid.json()) as { error: { message: string } }).error.message, /^stage:/);
});

test("excluded environments leave export, export-runs and Datasets unless named, and come back when included", async () => {
  const response = await select({ action: "exclude", environments: ["seed_shop"], note: "  inserts collide  " });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { environments: string[]; excluded: boolean; note: string; at: string };
  assert.deepEqual([body.environments, body.excluded, body.note], [["seed_shop"], true, "inserts collide"]);
  const seed = (await listEnvironments()).find((env) => env.name === "seed_shop");
  assert.deepEqual([seed?.excluded, seed?.excludedNote, seed?.excludedAt], [true, "inserts collide", body.at]);

  assert.deepEqual((await exportLibrary(path.join(scratch, "all"))).environments, ["clean_shop", "cut_shop", "lenient_shop", "shadow_shop"]);
  assert.deepEqual((await exportLibrary(path.join(scratch, "named"), ["seed_shop"])).environments, ["seed_shop"]);
  assert.equal((await exportRuns(path.join(scratch, "runs-all"), "openai", {})).runs, 1);
  assert.equal((await exportRuns(path.join(scratch, "runs-named"), "openai", { environments: ["seed_shop"] })).runs, 1);
  assert.deepEqual([(await datasetSummary({})).runs, (await datasetSummary({ environments: ["seed_shop", "clean_shop"] })).runs], [1, 2]);

  const listed = JSON.parse((await cli("list", "--json")).out) as { environments: { name: string; excluded: boolean }[] };
  assert.deepEqual(listed.environments.filter((env) => env.excluded).map((env) => env.name), ["seed_shop"]);

  assert.equal((await select({ action: "include", environments: ["seed_shop"] })).status, 200);
  const back = (await listEnvironments()).find((env) => env.name === "seed_shop");
  assert.deepEqual([back?.excluded, back?.excludedNote, back?.excludedAt], [false, "", null]);
  assert.equal((await exportLibrary(path.join(scratch, "again"))).environments.length, 5);
});

test("the CLI excludes with a note and includes again; an unknown name fails naming it", async () => {
  const excluded = await cli("exclude", "cut_shop", "shadow_shop", "--note", "broken code");
  assert.equal(excluded.code, 0);
  assert.match(excluded.out, /Excluded 2 environment\(s\): cut_shop, shadow_shop — broken code/);
  assert.deepEqual((await listEnvironments()).filter((env) => env.excluded).map((env) => [env.name, env.excludedNote]), [["cut_shop", "broken code"], ["shadow_shop", "broken code"]]);
  // Excluding again without a note keeps the note given before.
  assert.equal((await cli("exclude", "cut_shop")).code, 0);
  assert.equal((await listEnvironments()).find((env) => env.name === "cut_shop")?.excludedNote, "broken code");
  const unknown = await cli("include", "cut_shop", "nowhere");
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /unknown environment\(s\): nowhere/);
  assert.equal((await cli("include", "cut_shop", "shadow_shop")).code, 0);
  assert.equal((await listEnvironments()).some((env) => env.excluded), false);
});

test("export prepares a tar of the selection in AWM format, downloaded once", async () => {
  const response = await select({ action: "export", environments: ["cut_shop", "clean_shop"] });
  assert.equal(response.status, 200);
  const { download, environments } = (await response.json()) as { download: string; environments: string[] };
  assert.deepEqual(environments, ["clean_shop", "cut_shop"]);
  const tar = await fetch(`${server.base}${download}`, { headers });
  assert.equal(tar.status, 200);
  assert.match(tar.headers.get("content-disposition") ?? "", /attachment; filename=".*-awm-environments\.tar"/);
  const text = Buffer.from(await tar.arrayBuffer()).toString("latin1");
  assert.match(text, /gen_tasks\.jsonl/);
  assert.match(text, /"scenario":"Cut Shop"/);
  assert.doesNotMatch(text, /"scenario":"Seed Shop"/);
  assert.equal((await fetch(`${server.base}${download}`, { headers })).status, 404);
});

test("a second download of an export whose first is still streaming is a 404, and the first gets the whole tar", async () => {
  const response = await select({ action: "export", environments: ["cut_shop", "clean_shop", "seed_shop"] });
  const { download } = (await response.json()) as { download: string };
  const id = download.split("/").pop()!;
  // Both opened before either has streamed a byte: the window two concurrent requests hit.
  const first = openLibraryExport(id);
  assert.throws(() => openLibraryExport(id), /no prepared library export .* \(each is downloaded once\)/);
  assert.equal((await fetch(`${server.base}${download}`, { headers })).status, 404);
  const tarFile = path.join(scratch, "concurrent.tar");
  fs.writeFileSync(tarFile, Buffer.from(await new Response(first.body).arrayBuffer()));
  // GNU tar reads it to the end: a stream cut off by another download removing the folder fails here.
  const listing = spawnSync("tar", ["-tf", tarFile], { encoding: "utf8" });
  assert.equal(listing.status, 0, listing.stderr);
  assert.match(listing.stdout, /gen_tasks\.jsonl/);
  const text = fs.readFileSync(tarFile, "latin1");
  for (const scenario of ["Clean Shop", "Cut Shop", "Seed Shop"]) assert.match(text, new RegExp(`"scenario":"${scenario}"`));
  assert.deepEqual(fs.readdirSync(path.join(home, "library-exports")), [], "the claimed export is gone once sent");
});

test("regenerate starts one pipeline job per selected environment and answers their ids; without a generator model it starts none and says so", async () => {
  const jobsBefore = await studioDb().job.count();
  const noModel = await select({ action: "regenerate", environments: ["cut_shop", "shadow_shop"], stage: "tasks" });
  assert.equal(noModel.status, 409);
  assert.match(((await noModel.json()) as { error: { message: string } }).error.message, /^no regeneration started: no LLM configured: set OPENAI_BASE_URL/);
  assert.equal(await studioDb().job.count(), jobsBefore, "no job was made");
  // A model that is configured but unreachable: the jobs start, and fail when they ask it.
  process.env.OPENAI_BASE_URL = "http://127.0.0.1:9/v1";
  process.env.AWM_STUDIO_GEN_MODEL = "unreachable-model";
  const response = await select({ action: "regenerate", environments: ["cut_shop", "shadow_shop"], stage: "tasks" });
  assert.equal(response.status, 200);
  const { jobs, refused } = (await response.json()) as { jobs: { environment: string; jobId: string }[]; refused: unknown[] };
  assert.deepEqual(refused, []);
  assert.deepEqual(jobs.map((job) => job.environment), ["cut_shop", "shadow_shop"]);
  const rows = await studioDb().job.findMany({ where: { id: { in: jobs.map((job) => job.jobId) } } });
  assert.deepEqual(rows.map((row) => [row.kind, (JSON.parse(row.params) as { environment: string; stage: string }).stage]), [["regen", "tasks"], ["regen", "tasks"]]);
  // The model cannot be reached here: the jobs end failed, saying so (the e2e spec runs one against a scripted model).
  for (const job of jobs) assert.equal((await runningJob(job.jobId)?.done)?.status ?? "failed", "failed");
  delete process.env.OPENAI_BASE_URL;
  delete process.env.AWM_STUDIO_GEN_MODEL;
});
