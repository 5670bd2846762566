/**
 * Calls on an episode's instance answer before their database copies are fetched and diffed. What
 * the recording holds back when the environment makes that slow, and what it keeps:
 * - an episode keeps at most 8 unfetched copies (the oldest goes past that): when copies are slow to
 *   fetch (a large database) and calls come fast, the next call waits instead of one being lost;
 * - when diffs are slow (many rows), at most a few steps wait to be written, each holding its answer
 *   and its database copy: the next call waits, so neither piles up in the studio's memory or disk;
 * - a call answered past the studio's cap still changed the database: it is a step with that change.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-recorder-backlog-");
const { BUMP_PRICE_TOOL, importTinyShop } = await import("../testing/tiny-shop-instance.ts");
const manager = await import("../instances/manager.ts");
const { finishPlaytest, startPlaytest } = await import("./session.ts");
const { episodeSnapshotsDir, getTrajectory } = await import("../trajectories/store.ts");

const SHOP = "tiny_shop";
// 8 MiB of ballast makes every copy of the database slow to fetch beside a call that changes one row.
const TOOLS = `
@app.post("/api/ballast", operation_id="add_ballast")
def add_ballast():
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS ballast (id INTEGER PRIMARY KEY, data BLOB)"))
        conn.execute(text("INSERT INTO ballast (data) VALUES (randomblob(8388608))"))
    return {"ok": True}


@app.post("/api/rows", operation_id="add_rows")
def add_rows():
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS many (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)"))
        conn.execute(text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) INSERT INTO many (a, b) SELECT hex(randomblob(16)), i FROM n"))
    return {"ok": True}


@app.post("/api/products/{product_id}/huge", operation_id="rename_loudly")
def rename_loudly(product_id: int):
    from fastapi.responses import PlainTextResponse
    with engine.begin() as conn:
        conn.execute(text("UPDATE products SET name = 'Loud' WHERE id = :i"), {"i": product_id})
    return PlainTextResponse("y" * (17 * 1024 * 1024))

`;

before(() => importTinyShop(`${TOOLS}${BUMP_PRICE_TOOL}`));

after(async () => {
  await manager.stopAll();
  fs.rmSync(home, { recursive: true, force: true });
});

test("calls sent faster than their copies are fetched are each recorded with their own change", { timeout: 120_000 }, async () => {
  const session = await startPlaytest(SHOP, 0);
  await manager.callInstanceTool(session.instanceId, "add_ballast");
  // At once, as an MCP client may send them: the studio runs them one after another.
  const bumps = 24;
  const answers = await Promise.all(Array.from({ length: bumps }, () => manager.callInstanceTool(session.instanceId, "bump_price", { product_id: 1 })));
  for (const answer of answers) assert.equal(answer.ok, true, JSON.stringify(answer));
  await finishPlaytest(session, "Bumped.");
  const trajectory = await getTrajectory(session.trajectoryId);
  const steps = trajectory!.steps.filter((step) => step.toolName === "bump_price");
  assert.equal(steps.length, bumps);
  const prices = steps.map((step) => {
    const updated = step.diff?.tables.products?.updated ?? [];
    assert.equal(updated.length, 1, `step ${step.ordinal} changed one row`);
    return [Number(updated[0]!.before.price), Number(updated[0]!.after.price)];
  });
  for (const [index, [before, after]] of prices.entries()) {
    assert.equal(after, before! + 1, `step ${index} raised the price by one`);
    if (index > 0) assert.equal(before, prices[index - 1]![1], `step ${index} starts where the one before it ended`);
  }
});

test("while diffs are slow, at most a few steps wait to be written: the calls after them wait", { timeout: 180_000 }, async () => {
  const session = await startPlaytest(SHOP, 0);
  // 50,000 rows: each step's two diffs read every row, far slower than a call.
  await manager.callInstanceTool(session.instanceId, "add_rows");
  const folder = episodeSnapshotsDir(session.trajectoryId);
  let mostFiles = 0;
  const watch = setInterval(() => {
    const files = fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => fs.statSync(path.join(folder, name), { throwIfNoEntry: false })?.isFile()) : [];
    mostFiles = Math.max(mostFiles, files.length);
  }, 5);
  try {
    const bumps = 12;
    const answers = await Promise.all(Array.from({ length: bumps }, () => manager.callInstanceTool(session.instanceId, "bump_price", { product_id: 1 })));
    for (const answer of answers) assert.equal(answer.ok, true, JSON.stringify(answer));
    await finishPlaytest(session, "Bumped.");
  } finally {
    clearInterval(watch);
  }
  // 4 steps waiting, each with its copy, and the one before the oldest (its diffs' "before"); without the hold all 12 copies waited at once.
  assert.ok(mostFiles <= 6, `at most 6 database copies at once in the episode's folder, saw ${mostFiles}`);
  const trajectory = await getTrajectory(session.trajectoryId);
  assert.equal(trajectory!.steps.filter((step) => step.toolName === "bump_price").length, 12);
});

test("a call whose answer is past the studio's cap is a step with its own change, not credited to the next", async () => {
  const session = await startPlaytest(SHOP, 0);
  await assert.rejects(manager.callInstanceTool(session.instanceId, "rename_loudly", { product_id: 2 }), /answer.*(cap|MiB|limit)/i);
  await manager.callInstanceTool(session.instanceId, "bump_price", { product_id: 1 });
  await finishPlaytest(session, "Done.");
  const steps = (await getTrajectory(session.trajectoryId))!.steps;
  const changes = steps.map((step) => [step.toolName, step.isError, (step.diff?.tables.products?.updated ?? []).map((row) => Object.keys(row.after).filter((column) => row.after[column] !== row.before[column]))]);
  assert.deepEqual(changes.slice(0, 2), [
    ["rename_loudly", true, [["name"]]],
    ["bump_price", false, [["price"]]],
  ]);
  assert.match(steps[0]!.toolResponse ?? "", /cap|MiB|limit/i, "the step says why its answer is not there");
});
