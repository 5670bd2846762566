/**
 * Whole-library actions on a library of AWM's size (1,000 environments and more): each names every
 * environment in one query, which Prisma refused past 999 bound values until told SQLite's real limit.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-library-scale-");
const { closeStudioDb, studioDb } = await import("../store/db.ts");
const { checkEnvironments, scopedEnvironments } = await import("./environment-scope.ts");
const { setExclusion } = await import("./exclusion.ts");
const { datasetSummary } = await import("../export/dataset-summary.ts");
const { exportRuns } = await import("../export/export-runs.ts");
const { taskStatuses } = await import("../curation/task-status.ts");

const SIZE = 1_200;
const names = Array.from({ length: SIZE }, (_, i) => `scale_env_${String(i).padStart(4, "0")}`);

before(async () => {
  const db = studioDb();
  await db.environment.createMany({ data: names.map((name) => ({ name, scenario: name, taskCount: 2 })) });
  // One judged run in every environment: a reward of 1 on task 0.
  await db.trajectory.createMany({ data: names.map((name) => ({ environmentName: name, taskIdx: 0, task: "t", source: "import", verdictClass: "complete", reward: 1 })) });
});
after(() => closeStudioDb());

test("every environment named at once: checked, counted in Datasets, exported and given task statuses", async () => {
  await checkEnvironments(names);
  await assert.rejects(checkEnvironments([...names, "no_such_env"]), /no_such_env/);
  assert.equal((await scopedEnvironments(undefined)).length, SIZE, "all, unnamed");

  const summary = await datasetSummary({ environments: names });
  assert.deepEqual([summary.runs, summary.environments, summary.tasks], [SIZE, SIZE, SIZE]);
  assert.equal((await datasetSummary({})).runs, SIZE);

  const folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "awm-scale-export-")), "runs");
  const exported = await exportRuns(folder, "verl", { environments: names });
  assert.equal(exported.runs, SIZE);

  const statuses = await taskStatuses(names);
  assert.equal(statuses.length, SIZE);
  assert.deepEqual(statuses[SIZE - 1]?.tasks.map((task) => task.status), ["unverified", "unverified"]);
});

test("bulk exclusion of the whole library, then inclusion", async () => {
  await setExclusion(names, { excluded: true, note: "scale" });
  assert.equal(await studioDb().environment.count({ where: { excluded: true } }), SIZE);
  await setExclusion(names, { excluded: false });
  assert.equal(await studioDb().environment.count({ where: { excluded: true } }), 0);
});

test("Datasets takes the whole library as one saved selection: a short id in its URLs, not 1,200 names", async () => {
  const selections = await import("../../app/api/selections/route.ts");
  const selection = await import("../../app/api/selections/[id]/route.ts");
  const datasets = await import("../../app/api/datasets/route.ts");
  const none = { params: Promise.resolve({}) };
  const save = (body: unknown) => selections.POST(new Request("http://studio/api/selections", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), none);
  const saved = await save({ names });
  assert.equal(saved.status, 200);
  const { id } = (await saved.json()) as { id: string };
  assert.match(id, /^[0-9a-f]{24}$/);
  assert.deepEqual(await (await save({ names: [...names].reverse() })).json(), { id }, "the same set is the same selection");

  const url = `http://studio/api/datasets?selection=${id}`;
  assert.ok(url.length < 100);
  const summary = (await (await datasets.GET(new Request(url), none)).json()) as { runs: number; environments: number };
  assert.deepEqual([summary.runs, summary.environments], [SIZE, SIZE]);
  const read = (await (await selection.GET(new Request(`http://studio/api/selections/${id}`), { params: Promise.resolve({ id }) })).json()) as { names: string[] };
  assert.deepEqual(read.names, names);

  assert.equal((await save({ names: ["no_such_env"] })).status, 404);
  assert.equal((await datasets.GET(new Request("http://studio/api/datasets?selection=ffffffffffffffffffffffff"), none)).status, 404);
});
