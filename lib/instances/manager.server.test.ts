import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import { realSamplesDir, skipWithoutSamples } from "../testing/samples.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import type { InstanceInfo } from "./manager.ts";

const home = useTempStudioHome("awm-instances-");
const { importTinyShop, readRows, TINY_SHOP } = await import("../testing/tiny-shop-instance.ts");
const manager = await import("./manager.ts");
const { importFolder } = await import("../library/import.ts");

before(async () => {
  await importTinyShop();
});

after(async () => {
  await manager.stopAll();
  fs.rmSync(home, { recursive: true, force: true });
});

/** Polls until the instance leaves "running" (bounded, so a broken idle stop fails instead of hanging). */
async function waitUntilNotRunning(id: string, withinMs: number): Promise<InstanceInfo> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const info = manager.getInstance(id);
    if (info.status !== "running" || Date.now() > deadline) return info;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("an instance lives in its own folder under the studio home, with its metadata", async () => {
  const info = await manager.createInstance(TINY_SHOP);
  try {
    assert.equal(info.status, "running");
    assert.equal(info.environment, TINY_SHOP);
    assert.equal(path.dirname(info.dir), path.join(home, "instances"));
    assert.equal(info.sandboxed, true, "bwrap is installed here, so instances run sandboxed");
    const file = await manager.snapshotInstance(info.id);
    assert.ok(file.startsWith(info.dir), file);
    assert.deepEqual(readRows(file, "SELECT name FROM products ORDER BY id"), [{ name: "Mug" }, { name: "Plate" }]);
    await manager.callInstanceTool(info.id, "get_product", { product_id: 1 });
    assert.ok(manager.getInstance(info.id).lastActivity > info.lastActivity, "a tool call counts as activity");
  } finally {
    await manager.stopInstance(info.id);
  }
  assert.equal(fs.existsSync(info.dir), false, "a stopped instance's folder is removed");
  assert.deepEqual(
    { status: manager.getInstance(info.id).status, exitReason: manager.getInstance(info.id).exitReason },
    { status: "stopped", exitReason: "stopped on request" },
  );
});

test("a start over the cap waits in the queue, its position shown, and starts when an instance stops", async () => {
  process.env.AWM_STUDIO_MAX_INSTANCES = "1";
  try {
    const first = await manager.createInstance(TINY_SHOP);
    let started = false;
    const waiting = manager.createInstance(TINY_SHOP).then((info) => ((started = true), info));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(started, false, "the second start waits while the first instance is live");
    assert.deepEqual(
      manager.instanceQueue().map(({ position, environment }) => ({ position, environment })),
      [{ position: 1, environment: TINY_SHOP }],
    );
    await manager.stopInstance(first.id);
    const second = await waiting;
    assert.equal(second.status, "running", "a stopped instance frees its place");
    assert.deepEqual(manager.instanceQueue(), []);
    await manager.stopInstance(second.id);
  } finally {
    delete process.env.AWM_STUDIO_MAX_INSTANCES;
  }
});

test("without a fixed cap, the cap is the memory budget over what a live episode measures", async () => {
  process.env.AWM_STUDIO_EPISODE_MEMORY_MB = "2048";
  try {
    const info = await manager.createInstance(TINY_SHOP);
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // past the measurement's cache
    const capacity = manager.instanceCapacity();
    assert.equal(capacity.fixed, false);
    assert.equal(capacity.budgetBytes, 2048 * 2 ** 20);
    assert.ok(capacity.cost.measuredOn >= 1, JSON.stringify(capacity));
    assert.ok(capacity.cost.bytes > 2 ** 20 && capacity.cost.bytes < 256 * 2 ** 20, `an episode costs ${capacity.cost.bytes} bytes`);
    assert.equal(capacity.limit, Math.floor(capacity.budgetBytes / capacity.cost.bytes));
    await manager.stopInstance(info.id);
  } finally {
    delete process.env.AWM_STUDIO_EPISODE_MEMORY_MB;
  }
});

test("an idle instance is stopped, and calls keep it alive", async () => {
  process.env.AWM_STUDIO_IDLE_MS = "500";
  const { id } = await manager.createInstance(TINY_SHOP).finally(() => delete process.env.AWM_STUDIO_IDLE_MS);
  for (let call = 0; call < 12; call++) {
    await manager.callInstanceTool(id, "get_product", { product_id: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(manager.getInstance(id).status, "running", "1.2 s of calls 100 ms apart kept a 500 ms idle limit from firing");
  const info = await waitUntilNotRunning(id, 10_000);
  assert.equal(info.status, "stopped");
  assert.match(info.exitReason ?? "", /idle for 500 ms/);
  // Its age stops when it does (the Instances page reads it so).
  await new Promise((resolve) => setTimeout(resolve, 100));
  const ended = manager.getInstance(id).endedAt;
  assert.ok(ended && Date.parse(ended) >= Date.parse(info.createdAt) && Date.parse(ended) <= Date.now());
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(manager.getInstance(id).endedAt, ended, "set once, when it ended");
});

test("gofundme: the recurring donation tool is marked as shadowed by the one-time one", { skip: skipWithoutSamples() }, async () => {
  await importFolder(realSamplesDir()!);
  const info = await manager.createInstance("gofundme");
  try {
    const tools = manager.instanceTools(info.id);
    const recurring = tools.find((tool) => tool.name === "create_recurring_donation_intent");
    assert.equal(recurring?.shadowedBy, "create_one_time_donation_intent");
    assert.match(recurring?.warning ?? "", /requests reach create_one_time_donation_intent's handler/);
    assert.deepEqual(info.shadowedTools, ["create_recurring_donation_intent"]);
  } finally {
    await manager.stopInstance(info.id);
  }
});

/** An instance folder as a studio process leaves it, its socket answering or not, an hour old. */
async function leftFolder(id: string, answering: boolean): Promise<{ dir: string; server: net.Server }> {
  const dir = path.join(home, "instances", id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "env.py"), "");
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(path.join(dir, "api.sock.bind"), resolve));
  fs.linkSync(path.join(dir, "api.sock.bind"), path.join(dir, "api.sock"));
  if (!answering) await new Promise((resolve) => server.close(resolve));
  const hourAgo = new Date(Date.now() - 3_600_000);
  fs.utimesSync(dir, hourAgo, hourAgo);
  return { dir, server };
}

test("folders a killed studio process left are removed at the next start; a live process's folder stays", async () => {
  const dead = await leftFolder("dead000000", false);
  const live = await leftFolder("live000000", true);
  try {
    const info = await manager.createInstance(TINY_SHOP);
    await manager.stopInstance(info.id);
    assert.equal(fs.existsSync(dead.dir), false, "the dead instance's folder is gone");
    assert.equal(fs.existsSync(live.dir), true, "the folder whose socket answers stays");
  } finally {
    live.server.close();
  }
});
