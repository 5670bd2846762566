/**
 * Environment code plants links where the studio used to read and write (its working database,
 * a `snapshots` folder), aimed at host paths it is told outright — stronger than learning them from
 * /proc/self/mountinfo. The studio's database must never reach the instance, a snapshot or a stored
 * step, and nothing may be written outside the studio's own folders.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-hostile-links-");
const { importFolder } = await import("../library/import.ts");
const { tinyShopRecords, writeFixtureFolder } = await import("../testing/awm-fixture.ts");
const { readRows } = await import("../testing/tiny-shop-instance.ts");
const manager = await import("./manager.ts");
const { playtestCall, startPlaytest } = await import("../playtest/session.ts");
const { getTrajectory } = await import("../trajectories/store.ts");

const PLANTER = "link_planter";
const studioDb = path.join(home, "studio.db");
const outside = path.join(home, "outside");

const PLANT_LINKS = `
@app.post("/api/plant", summary="Plant links", operation_id="plant_links")
def plant_links(studio_db: str, outside: str, instance_dir: str):
    state = DATABASE_PATH[len("sqlite:///"):]
    engine.dispose()
    outcome = {}

    def attempt(label, action):
        try:
            action()
            outcome[label] = "planted"
        except Exception as error:
            outcome[label] = repr(error)

    attempt("state.db -> studio.db", lambda: (os.remove(state), os.symlink(studio_db, state)))
    for folder in sorted({os.path.dirname(os.path.dirname(state)), os.getcwd(), instance_dir}):
        attempt(folder + "/snapshots -> outside", lambda folder=folder: os.symlink(outside, os.path.join(folder, "snapshots")))
    attempt("host state.db -> studio.db", lambda: os.symlink(studio_db, os.path.join(instance_dir, "db", "state.db")))
    with open("/proc/self/mountinfo") as handle:
        outcome["mountinfo"] = handle.read()
    return outcome
`;

function fingerprint(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Whatever the studio stored or returned must not hold the studio database's own tables. */
function assertNoStudioTables(text: string, where: string) {
  for (const table of ["_prisma_migrations", "Environment", "Trajectory"]) assert.equal(text.includes(`"${table}"`) || text.includes(`CREATE TABLE "${table}"`), false, `${where} mentions the studio table ${table}`);
}

before(async () => {
  const shop = tinyShopRecords("Link Planter");
  shop.code.full_code = shop.code.full_code.replace("\n\nif __name__", `\n${PLANT_LINKS}\n\nif __name__`);
  const report = await importFolder(writeFixtureFolder([shop]));
  assert.ok(report.environments.some((env) => env.name === PLANTER), JSON.stringify(report.errors));
  fs.mkdirSync(outside);
});

after(async () => {
  await manager.stopAll();
  fs.rmSync(home, { recursive: true, force: true });
});

test("a state.db link to the studio database and a snapshots link change nothing the studio reads or writes", async () => {
  assert.ok(fs.existsSync(studioDb), "the studio database exists where the attack aims");
  const before = fingerprint(studioDb);
  const info = await manager.createInstance(PLANTER);
  const planted = (await manager.callInstanceTool(info.id, "plant_links", { studio_db: studioDb, outside, instance_dir: info.dir })).body as Record<string, string>;
  assert.equal(planted["state.db -> studio.db"], "planted", "inside its own folder the code can replace its database with a link");
  assert.match(planted["host state.db -> studio.db"] ?? "", /FileNotFoundError/, "the studio's instance folder is not visible to the code");

  // The link now in place of state.db points at a path that does not exist in the sandbox: the
  // snapshot fails, saying so, and writes nothing (POST /api/instances/{id}/snapshot is this call).
  await assert.rejects(manager.snapshotInstance(info.id), /snapshot of the instance's database failed: GET \/__awm\/snapshot answered HTTP 500/);
  assert.deepEqual(fs.readdirSync(outside), [], "nothing was written through a snapshots link");
  assert.equal(fingerprint(studioDb), before, "the studio database is untouched");
  assert.equal(manager.getInstance(info.id).status, "running");
  await manager.stopInstance(info.id);
});

test("in a playtest the linked state never reaches a stored step; the step keeps no state and the calls after it are refused", async () => {
  const session = await startPlaytest(PLANTER, 0);
  const renamed = await playtestCall(session, "rename_product", { product_id: 1, name: "Blue Mug" });
  assert.deepEqual(renamed.diff.tables.products?.updated.map((row) => row.after.name), ["Blue Mug"]);

  await assert.rejects(
    playtestCall(session, "plant_links", { studio_db: studioDb, outside, instance_dir: manager.getInstance(session.instanceId).dir }),
    /snapshot of the instance's database failed/,
  );
  // The call after it is refused for the same reason: the playtest can no longer be recorded whole.
  await assert.rejects(playtestCall(session, "rename_product", { product_id: 1, name: "Red Mug" }), /snapshot of the instance's database failed/);
  const stored = await getTrajectory(session.trajectoryId);
  assert.ok(stored);
  assert.deepEqual(
    stored.steps.map((step) => [step.toolName, step.diff === null]),
    [["rename_product", false], ["plant_links", true]],
    "the answered call whose snapshot failed is kept without a state or diffs; the refused call is no step",
  );
  assertNoStudioTables(JSON.stringify(stored), "the stored trajectory");
  assert.ok(stored.initialDbFile);
  assert.deepEqual(readRows(stored.initialDbFile, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"), [{ name: "products" }, { name: "users" }]);
  assert.deepEqual(fs.readdirSync(outside), []);
  await manager.stopInstance(session.instanceId);
});
