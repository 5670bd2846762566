/**
 * A playtest's steps are written behind the answers (recorder.ts). A studio killed after an outside
 * agent's call was answered and before its step was written must not lose the call: the restart
 * records it from the journal (call-journal.ts), its answer and diffs lost, and replays it.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { projectRoot } from "../config/paths.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-studio-killed-");
const { BUMP_PRICE_TOOL, importTinyShop, readRows } = await import("../testing/tiny-shop-instance.ts");
const manager = await import("../instances/manager.ts");
const { getTrajectory } = await import("../trajectories/store.ts");
const { LOST_ANSWER, restartPlaytest } = await import("./restart.ts");
const { lastStateFile } = await import("./recorder.ts");

const SHOP = "tiny_shop";
// 100,000 rows, the same at every replay: the step that adds them is slow to diff, so its write (and the next one's) waits.
const TOOLS = `
@app.post("/api/rows", operation_id="add_rows")
def add_rows():
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE many (id INTEGER PRIMARY KEY, a TEXT)"))
        conn.execute(text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) INSERT INTO many (a) SELECT printf('row %d', i) FROM n"))
    return {"ok": True}

`;

before(() => importTinyShop(`${TOOLS}${BUMP_PRICE_TOOL}`));

after(async () => {
  await manager.stopAll();
  fs.rmSync(home, { recursive: true, force: true });
});

/** A studio of its own: starts a playtest, has two calls answered as an MCP agent's would be, says so, and waits to be killed. */
function studioElsewhere() {
  const lib = (file: string) => JSON.stringify(path.join(projectRoot(), "lib", file));
  const script = `
    const { startPlaytest } = await import(${lib("playtest/session.ts")});
    const { callInstanceTool } = await import(${lib("instances/manager.ts")});
    const session = await startPlaytest(${JSON.stringify(SHOP)}, 0);
    await callInstanceTool(session.instanceId, "add_rows");
    await callInstanceTool(session.instanceId, "bump_price", { product_id: 1 });
    console.log(JSON.stringify(session));
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: projectRoot(), env: { ...process.env, AWM_STUDIO_HOME: home }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const answered = new Promise<{ trajectoryId: string; instanceId: string }>((resolve, reject) => {
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.includes("\n")) resolve(JSON.parse(stdout.split("\n")[0]!) as { trajectoryId: string; instanceId: string });
    });
    child.once("close", () => reject(new Error(`the studio ended before its calls were answered:\n${stderr}`)));
  });
  const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once("close", (_code, signal) => resolve(signal)));
  return { child, answered, exit };
}

test("calls answered but not yet written when the studio is killed become steps at the restart, and are replayed", { timeout: 120_000 }, async () => {
  const studio = studioElsewhere();
  const session = await studio.answered;
  studio.child.kill("SIGKILL");
  assert.equal(await studio.exit, "SIGKILL");
  const written = (await getTrajectory(session.trajectoryId))?.steps.length ?? 0;
  assert.equal(written, 0, "the kill came before either step was written (else this test shows nothing)");

  const restarted = await restartPlaytest(session);
  const steps = (await getTrajectory(session.trajectoryId))!.steps;
  assert.deepEqual(
    steps.map((step) => [step.ordinal, step.toolName, step.toolResponse]),
    [
      [0, "add_rows", LOST_ANSWER],
      [1, "bump_price", LOST_ANSWER],
    ],
  );
  assert.equal(restarted.replayedSteps, 2);
  // The rebuilt state holds both calls' changes; no state was recorded after them, so all of it is reported as divergence.
  const trajectory = (await getTrajectory(session.trajectoryId))!;
  const [seed] = readRows(trajectory.initialDbFile!, "SELECT price FROM products WHERE id = 1") as { price: number }[];
  assert.deepEqual(readRows(lastStateFile(session.trajectoryId), "SELECT (SELECT count(*) FROM many) AS rows, (SELECT price FROM products WHERE id = 1) AS price"), [{ rows: 100_000, price: seed!.price + 1 }]);
  assert.ok(restarted.divergence?.tables.products, "the restart says the rebuilt state differs from the one recorded");
  await manager.stopInstance(restarted.instanceId);
});
