import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-live-schema-");
const { importFolder } = await import("./import.ts");
const { revalidateEnvironment } = await import("./validate-environment.ts");
const manager = await import("../instances/manager.ts");
const { loadEnvironment } = await import("../store/load-environment.ts");
const { closeStudioDb, studioDb } = await import("../store/db.ts");
const { starterLibraryDir } = await import("../config/paths.ts");
const { writeFixtureFolder } = await import("../testing/awm-fixture.ts");
const { cutOffNotesShop } = await import("../testing/code-created-table.ts");
const { groupIssuesByCause } = await import("../awm/issue-causes.ts");
const { readRows } = await import("../testing/tiny-shop-instance.ts");

after(async () => {
  await manager.stopAll();
  await closeStudioDb();
});

async function startAndStop(name: string): Promise<void> {
  const info = await manager.createInstance(name);
  await manager.stopInstance(info.id);
}

async function issuesOf(name: string) {
  return (await loadEnvironment(name, { issues: true })).issues;
}

describe("a table cut off in the schema that the code's create_all makes at start-up", () => {
  const NOTES_SHOP = "notes_shop";
  const CREATED = "notes: broken in the schema, created by the code at start-up with columns id INTEGER PRIMARY KEY NOT NULL, product_id INTEGER NOT NULL, body VARCHAR(200) NOT NULL";
  let folder = "";

  before(async () => {
    folder = writeFixtureFolder([cutOffNotesShop()]);
    await importFolder(folder, { verifierHealth: false });
  });

  test("import groups the cut-off table's index and INSERTs under it: one problem, three consequences", async () => {
    const [env] = (await importFolder(folder, { verifierHealth: false })).environments;
    const cause = env!.issues.findIndex((issue) => issue.message === "CREATE TABLE notes is cut off (SQLite: incomplete input)");
    assert.ok(cause >= 0, JSON.stringify(env!.issues));
    const problem = env!.problems.find((candidate) => candidate.cause === cause);
    assert.deepEqual(
      problem?.consequences.map((index) => env!.issues[index]!.message),
      ["Index failed: no such table: main.notes", "INSERT failed: no such table: notes", "INSERT failed: no such table: notes"],
    );
    assert.equal(env!.problems.length, env!.issues.length - 3);
  });

  test("the first instance start reports the table with the code's columns, at the schema table, once", async () => {
    const before = await loadEnvironment(NOTES_SHOP);
    assert.ok(!(await issuesOf(NOTES_SHOP)).some((issue) => issue.message === CREATED), "not known before a boot");
    await startAndStop(NOTES_SHOP);
    const issues = await issuesOf(NOTES_SHOP);
    const created = issues.filter((issue) => issue.message === CREATED);
    assert.equal(created.length, 1, JSON.stringify(issues, null, 1));
    assert.deepEqual(created[0]!.location, { tab: "schema", table: "notes" });
    assert.equal(created[0]!.severity, "warning");
    const after = await loadEnvironment(NOTES_SHOP);
    assert.deepEqual([after.errorCount, after.warningCount], [before.errorCount, before.warningCount + 1]);
    const cutOff = issues.findIndex((issue) => issue.message.startsWith("CREATE TABLE notes is cut off"));
    assert.ok(groupIssuesByCause(issues).find((problem) => problem.cause === cutOff)?.consequences.includes(issues.indexOf(created[0]!)));

    await startAndStop(NOTES_SHOP);
    assert.equal((await issuesOf(NOTES_SHOP)).filter((issue) => issue.message === CREATED).length, 1, "a second start adds nothing");
  });

  test("a reset returns to the state right after start-up, with the table the code made, as a fresh process would", async () => {
    const info = await manager.createInstance(NOTES_SHOP);
    try {
      await manager.callInstanceTool(info.id, "rename_product", { product_id: 1, name: "Blue Mug" });
      await manager.resetInstance(info.id);
      const snapshot = await manager.snapshotInstance(info.id);
      assert.deepEqual(readRows(snapshot, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"), [{ name: "notes" }, { name: "products" }, { name: "users" }]);
      assert.deepEqual(readRows(snapshot, "SELECT name FROM products WHERE id = 1"), [{ name: "Mug" }]);
    } finally {
      await manager.stopInstance(info.id);
    }
  });

  test("starts at once share one observation: one start-up snapshot, the table reported once", async () => {
    const revised = cutOffNotesShop();
    revised.code.full_code += "\n# a revision of the code: observed anew\n";
    await importFolder(writeFixtureFolder([revised], folder), { verifierHealth: false });
    const started = await Promise.all([1, 2, 3].map(() => manager.createInstance(NOTES_SHOP)));
    try {
      const observedBy = started.filter((info) => fs.existsSync(path.join(info.dir, "snapshots", "start-up.db")));
      assert.equal(observedBy.length, 1, "one of the three starts snapshotted its database for the others");
      assert.equal((await issuesOf(NOTES_SHOP)).filter((issue) => issue.message === CREATED).length, 1);
    } finally {
      await Promise.all(started.map((info) => manager.stopInstance(info.id)));
    }
  });

  test("revalidation keeps the observation while code and schema are unchanged; a repaired schema drops it", async () => {
    const environment = await loadEnvironment(NOTES_SHOP);
    await revalidateEnvironment(environment);
    assert.ok((await issuesOf(NOTES_SHOP)).some((issue) => issue.message === CREATED));

    const repaired = cutOffNotesShop();
    repaired.schema.db_schema.tables[2]!.ddl = "CREATE TABLE notes (id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL, body VARCHAR(200) NOT NULL);";
    await importFolder(writeFixtureFolder([repaired], folder), { verifierHealth: false });
    assert.ok(!(await issuesOf(NOTES_SHOP)).some((issue) => issue.message === CREATED));
    await startAndStop(NOTES_SHOP);
    assert.deepEqual((await issuesOf(NOTES_SHOP)).filter((issue) => issue.where.startsWith("running instance")), [], "the code now matches the schema");
  });

  test("an observation of code revised while its instance started is not kept: it would stand for the new code", async () => {
    const { startInstance } = await import("../runtime/instance.ts");
    const { observeLiveSchema } = await import("./live-schema.ts");
    const environment = await loadEnvironment(NOTES_SHOP, { artifacts: ["code"] });
    const current = environment.artifacts.code!.record;
    const superseded = { ...current, full_code: `${current.full_code}\n# the revision before the current one\n` };
    const storedBefore = await studioDb().environment.findUniqueOrThrow({ where: { id: environment.id }, select: { liveSchema: true, errorCount: true, warningCount: true } });
    const instance = await startInstance({ code: superseded.full_code, seedDbFile: environment.seedDbFile, dir: fs.mkdtempSync(path.join(os.tmpdir(), "awm-superseded-")) });
    try {
      await observeLiveSchema(environment, instance, superseded);
    } finally {
      await instance.stop();
    }
    const storedAfter = await studioDb().environment.findUniqueOrThrow({ where: { id: environment.id }, select: { liveSchema: true, errorCount: true, warningCount: true } });
    assert.deepEqual(storedAfter, storedBefore);
  });
});

test("the starter library's bike shop: create_all makes the cut-off ticket_notes table, reported under its cause", async () => {
  const BIKES = "spoke_chain_bike_repair_tickets";
  await importFolder(starterLibraryDir(), { verifierHealth: false });
  await startAndStop(BIKES);
  const issues = await issuesOf(BIKES);
  const created = issues.find((issue) => issue.where === "running instance after start-up, table ticket_notes");
  assert.match(created?.message ?? "", /^ticket_notes: broken in the schema, created by the code at start-up with columns id INTEGER PRIMARY KEY NOT NULL, ticket_id INTEGER NOT NULL/);
  const cause = issues.findIndex((issue) => issue.message === "CREATE TABLE ticket_notes is cut off (SQLite: incomplete input)");
  const problem = groupIssuesByCause(issues).find((candidate) => candidate.cause === cause);
  assert.equal(problem?.consequences.length, 6, "its index, 4 INSERTs and the table the code made");
  await startAndStop("maple_street_library_lending_desk");
  assert.ok(!(await issuesOf("maple_street_library_lending_desk")).some((issue) => issue.where.startsWith("running instance")), "a code whose models match the schema adds nothing");
});
