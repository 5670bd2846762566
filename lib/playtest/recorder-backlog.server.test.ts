/**
 * Calls on an episode's instance answer before their database copies are fetched, and an episode
 * keeps at most 8 unfetched copies (the oldest goes past that). When copies are slow to fetch (a
 * large database) and calls come fast, the recording holds the next call back instead of losing one.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-recorder-backlog-");
const { importFolder } = await import("../library/import.ts");
const { tinyShopRecords, writeFixtureFolder } = await import("../testing/awm-fixture.ts");
const manager = await import("../instances/manager.ts");
const { finishPlaytest, startPlaytest } = await import("./session.ts");
const { getTrajectory } = await import("../trajectories/store.ts");

const SHOP = "tiny_shop";
// 8 MiB of ballast makes every copy of the database slow to fetch beside a call that changes one row.
const TOOLS = `
@app.post("/api/ballast", operation_id="add_ballast")
def add_ballast():
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS ballast (id INTEGER PRIMARY KEY, data BLOB)"))
        conn.execute(text("INSERT INTO ballast (data) VALUES (randomblob(8388608))"))
    return {"ok": True}


@app.post("/api/products/{product_id}/bump", operation_id="bump_price")
def bump_price(product_id: int):
    with engine.begin() as conn:
        conn.execute(text("UPDATE products SET price = price + 1 WHERE id = :i"), {"i": product_id})
    return {"ok": True}
`;

before(async () => {
  const shop = tinyShopRecords();
  shop.code.full_code = shop.code.full_code.replace("\n\nif __name__", `\n${TOOLS}\n\nif __name__`);
  const report = await importFolder(writeFixtureFolder([shop]));
  assert.ok(report.environments.some((env) => env.name === SHOP), JSON.stringify(report.errors));
});

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
