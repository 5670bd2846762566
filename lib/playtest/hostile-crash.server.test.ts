/**
 * An instance killed under a playtest is reported with the signal that killed it, and the playtest
 * goes on in a fresh instance rebuilt by replaying its recorded calls and resets.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-hostile-crash-");
const { importTinyShop, readRows, TINY_SHOP } = await import("../testing/tiny-shop-instance.ts");
const manager = await import("../instances/manager.ts");
const { playtestCall, resetPlaytest, startPlaytest } = await import("./session.ts");
const { lastStateFile } = await import("./recorder.ts");
const { restartPlaytest } = await import("./restart.ts");
const { getPlaytestView } = await import("./view.ts");

before(async () => {
  await importTinyShop();
});

after(async () => {
  await manager.stopAll();
  fs.rmSync(home, { recursive: true, force: true });
});

async function statusOf(id: string, wanted: string): Promise<string> {
  for (const deadline = Date.now() + 5_000; manager.getInstance(id).status !== wanted && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
  return manager.getInstance(id).status;
}

test("a killed instance is reported with its signal, and the playtest restarts by replaying its steps", async () => {
  const session = await startPlaytest(TINY_SHOP, 0);
  await playtestCall(session, "rename_product", { product_id: 1, name: "Green Mug" });
  await resetPlaytest(session);
  await playtestCall(session, "rename_product", { product_id: 1, name: "Blue Mug" });
  await playtestCall(session, "add_product", { name: "Tea Pot", price: 20 });
  await assert.rejects(restartPlaytest(session), /is running: only a playtest whose instance crashed or stopped is restarted/);

  const old = manager.getInstance(session.instanceId);
  assert.ok(old.pid, "the instance names its episode's process");
  process.kill(old.pid, "SIGKILL");
  assert.equal(await statusOf(old.id, "crashed"), "crashed");
  const crashed = await getPlaytestView(session.trajectoryId, session.instanceId);
  assert.equal(crashed.instance?.status, "crashed");
  assert.equal(crashed.instance?.exitReason, "killed by SIGKILL");
  await assert.rejects(playtestCall(session, "rename_product", { product_id: 2, name: "Red Plate" }), /is crashed: killed by SIGKILL/);
  for (const deadline = Date.now() + 5_000; fs.existsSync(old.dir) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(fs.existsSync(old.dir), false, "the crashed instance's folder is removed");

  const restarted = await restartPlaytest(session);
  assert.notEqual(restarted.instanceId, session.instanceId);
  assert.equal(restarted.replayedSteps, 4, "three calls and a reset");
  assert.equal(restarted.divergence, undefined, "the rebuilt state equals the recorded one");
  assert.equal((await restartPlaytest(session)).instanceId, restarted.instanceId, "asking again (a double click) starts no second instance");
  assert.deepEqual(readRows(lastStateFile(session.trajectoryId), "SELECT id, name FROM products ORDER BY id"), [
    { id: 1, name: "Blue Mug" },
    { id: 2, name: "Plate" },
    { id: 3, name: "Tea Pot" },
  ]);

  // An agent still on the crashed instance cannot end the playtest that went on elsewhere.
  await assert.rejects(async () => manager.instanceToolHost(session.instanceId).finish!("Done."), /not recorded on instance .*: it is finished, or went on in another instance/);
  const next = await playtestCall(restarted, "rename_product", { product_id: 2, name: "Red Plate" });
  assert.deepEqual(next.diff.tables.products?.updated.map((row) => [row.key.id, row.before.name, row.after.name]), [[2, "Plate", "Red Plate"]], "the next step's diff starts from the rebuilt state");
  const view = await getPlaytestView(session.trajectoryId, restarted.instanceId);
  assert.equal(view.instance?.status, "running");
  assert.deepEqual(
    view.trajectory.steps.map((step) => step.toolName),
    ["rename_product", null, "rename_product", "add_product", "rename_product"],
    "the recorded steps stay; the restart adds none",
  );
  await manager.stopInstance(restarted.instanceId);
});

test("a page or agent left on an older instance cannot restart the playtest once it went on in another", async () => {
  const first = await startPlaytest(TINY_SHOP, 0);
  await playtestCall(first, "rename_product", { product_id: 1, name: "Green Mug" });
  process.kill(manager.getInstance(first.instanceId).pid!, "SIGKILL");
  assert.equal(await statusOf(first.instanceId, "crashed"), "crashed");
  const second = await restartPlaytest(first);
  process.kill(manager.getInstance(second.instanceId).pid!, "SIGKILL");
  assert.equal(await statusOf(second.instanceId, "crashed"), "crashed");
  const third = await restartPlaytest(second);
  await playtestCall(third, "rename_product", { product_id: 1, name: "Blue Mug" });

  // The first instance's restart was made long ago and that instance is gone: asking again must not start a fourth beside the third.
  await assert.rejects(restartPlaytest(first), new RegExp(`went on in instance ${third.instanceId}, not ${first.instanceId}`));
  assert.deepEqual(
    manager.listInstances().filter((instance) => instance.status === "running").map((instance) => instance.id),
    [third.instanceId],
    "one live instance records the playtest",
  );
  const next = await playtestCall(third, "add_product", { name: "Tea Pot", price: 20 });
  assert.equal(next.step.ordinal, 2, "the steps go on in order on the instance the playtest is on");
  await manager.stopInstance(third.instanceId);
});

test("a raw call the tool's schema refuses is replayed as it was sent when the playtest goes on in a new instance", async () => {
  const session = await startPlaytest(TINY_SHOP, 0);
  const raw = await playtestCall(session, "rename_product", { product_id: "not-a-number", name: "X" }, { raw: true });
  assert.equal(raw.response.status, 422, "the environment itself refused it");
  await playtestCall(session, "rename_product", { product_id: 1, name: "Blue Mug" });
  process.kill(manager.getInstance(session.instanceId).pid!, "SIGKILL");
  assert.equal(await statusOf(session.instanceId, "crashed"), "crashed");
  const restarted = await restartPlaytest(session);
  assert.equal(restarted.replayedSteps, 2);
  assert.equal(restarted.divergence, undefined);
  await manager.stopInstance(restarted.instanceId);
});
