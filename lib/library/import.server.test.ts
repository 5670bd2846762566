import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { readJsonlRecords, tinyShopRecords, writeFixtureFolder } from "../testing/awm-fixture.ts";
import { realSamplesDir, skipWithoutSamples } from "../testing/samples.ts";
import { closeStudioDb, studioDb } from "../store/db.ts";
import { healthOf, listEnvironments } from "../store/environments.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { listVersions } from "../store/artifacts.ts";
import { importFolder } from "./import.ts";
import { exportLibrary } from "./export.ts";

before(() => useTempStudioHome());
after(() => closeStudioDb());

function tempDir(prefix: string) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe("import of the project's own fixtures", () => {
  test("a clean environment imports with its counts, a seed database and no issues", async () => {
    const report = await importFolder(writeFixtureFolder([tinyShopRecords("Clean Shop")]));
    assert.deepEqual(report.errors, []);
    const [env] = report.environments;
    assert.equal(env?.name, "clean_shop");
    assert.equal(env?.status, "created");
    assert.deepEqual(env?.counts, { tasks: 2, tables: 2, seedRows: 3, seedFailures: 0, tools: 2, verifiers: 2 });
    assert.deepEqual(env?.issues, []);
    const stored = await loadEnvironment("clean_shop", { issues: true });
    assert.equal(healthOf(stored.errorCount, stored.warningCount), "ok");
    assert.ok(fs.existsSync(stored.seedDbFile), "seed database written");
  });

  test("re-import is idempotent; a changed artifact becomes a new version and the old one stays", async () => {
    const records = tinyShopRecords("Versioned Shop");
    const folder = writeFixtureFolder([records]);
    await importFolder(folder);
    const again = await importFolder(folder);
    assert.equal(again.environments[0]?.status, "unchanged");
    assert.equal((await listEnvironments()).filter((env) => env.name === "versioned_shop").length, 1);

    records.tasks.tasks[0] = "Rename product 1 to 'Red Mug'.";
    writeFixtureFolder([records], folder);
    const changed = await importFolder(folder);
    assert.equal(changed.environments[0]?.status, "updated");
    const env = await studioDb().environment.findUniqueOrThrow({ where: { name: "versioned_shop" } });
    assert.deepEqual((await listVersions(env.id, "tasks")).map((version) => version.version), [2, 1]);
    assert.deepEqual((await listVersions(env.id, "schema")).map((version) => version.version), [1]);
  });

  test("an unchanged environment keeps its stored validation on re-import, unless revalidate asks again", async () => {
    const folder = writeFixtureFolder([tinyShopRecords("Steady Shop")]);
    const first = (await importFolder(folder)).environments[0];
    const stored = await studioDb().environment.findUniqueOrThrow({ where: { name: "steady_shop" } });
    const checkedAt = async () => (await studioDb().verifierHealthCheck.findMany({ where: { environmentId: stored.id }, select: { createdAt: true } })).map((row) => row.createdAt.getTime());
    const seedBuilt = () => fs.statSync(stored.seedDbFile).mtimeMs;
    const [checks, built] = [await checkedAt(), seedBuilt()];

    const again = (await importFolder(folder)).environments[0];
    assert.equal(again?.status, "unchanged");
    assert.deepEqual([again?.counts, again?.issues], [first?.counts, first?.issues], "the same report, from what is stored");
    assert.deepEqual([await checkedAt(), seedBuilt()], [checks, built], "no verifier ran again, no seed database was rebuilt");

    const revalidated = (await importFolder(folder, { revalidate: true })).environments[0];
    assert.deepEqual(revalidated?.counts, first?.counts);
    assert.notDeepEqual(await checkedAt(), checks, "revalidate runs the checks again");

    // An import that skipped verifier health does not stand for one that asks for it.
    const skippedFolder = writeFixtureFolder([tinyShopRecords("Unchecked Shop")]);
    await importFolder(skippedFolder, { verifierHealth: false });
    const unchecked = await studioDb().environment.findUniqueOrThrow({ where: { name: "unchecked_shop" } });
    const checksOf = () => studioDb().verifierHealthCheck.count({ where: { environmentId: unchecked.id } });
    assert.equal(await checksOf(), 0);
    assert.equal((await importFolder(skippedFolder)).environments[0]?.status, "unchanged");
    assert.ok((await checksOf()) > 0, "the checks it never ran are run now");

    fs.rmSync(stored.seedDbFile);
    await importFolder(folder);
    assert.ok(fs.existsSync(stored.seedDbFile), "a missing seed database is built again even when nothing changed");
  });

  test("a re-import whose record is broken names the earlier version it keeps, and where the folder broke", async () => {
    const one = tinyShopRecords("Kept One");
    const two = tinyShopRecords("Kept Two");
    const folder = writeFixtureFolder([one, two]);
    await importFolder(folder);
    const tasksFile = path.join(folder, "gen_tasks.jsonl");
    const schemaFile = path.join(folder, "gen_db.jsonl");
    // Kept One's tasks line is cut off (no scenario can be read from it); Kept Two's schema names its scenario but has no tables.
    const [tasksOne = "", tasksTwo = ""] = fs.readFileSync(tasksFile, "utf8").split("\n");
    fs.writeFileSync(tasksFile, `${tasksOne.slice(0, 30)}\n${tasksTwo}\n`);
    const [schemaOne = ""] = fs.readFileSync(schemaFile, "utf8").split("\n");
    fs.writeFileSync(schemaFile, `${schemaOne}\n${JSON.stringify({ scenario: "Kept Two", db_schema: "not an object" })}\n`);

    const report = await importFolder(folder);
    const byName = new Map(report.environments.map((env) => [env.name, env]));
    assert.deepEqual(
      byName.get("kept_one")?.kept?.map(({ stage, version, file, brokenLines }) => ({ stage, version, file, brokenLines })),
      [{ stage: "tasks", version: 1, file: "gen_tasks.jsonl", brokenLines: [1] }],
    );
    assert.match(byName.get("kept_one")!.kept![0]!.reason, /^tasks v1: gen_tasks\.jsonl has no readable record for it, and its broken line 1 may have been it$/);
    // The cut-off line names no scenario, so Kept Two (whose tasks line did read) keeps nothing for it.
    assert.deepEqual(
      byName.get("kept_two")?.kept?.map(({ stage, brokenLines, reason }) => ({ stage, brokenLines, reason })),
      [{ stage: "schema", brokenLines: [2], reason: "schema v1: its record in gen_db.jsonl (line 2) is broken" }],
    );
    const env = await studioDb().environment.findUniqueOrThrow({ where: { name: "kept_one" } });
    assert.deepEqual((await listVersions(env.id, "tasks")).map((version) => version.version), [1], "the earlier tasks are still the current ones");

    // Verifiers: task 0's line is broken but names its task; task 1's is gone. Each is blamed on what is its own.
    const verifierFile = path.join(folder, "gen_verifier.pure_code.jsonl");
    const others = fs.readFileSync(verifierFile, "utf8").split("\n").filter((line) => line.trim() !== "" && !line.includes('"kept_one"'));
    fs.writeFileSync(verifierFile, `${[...others, JSON.stringify({ scenario: "kept_one", task_idx: 0, verification: "not an object" })].join("\n")}\n`);
    const again = (await importFolder(folder)).environments.find((candidate) => candidate.name === "kept_one");
    const verifiers = again?.kept?.filter((artifact) => artifact.stage === "verifier").map(({ key, brokenLines }) => ({ key, brokenLines }));
    assert.deepEqual(verifiers, [{ key: "code:0", brokenLines: [others.length + 1] }, { key: "code:1", brokenLines: [] }]);
  });

  test("a malformed line is reported with file and line; other lines and environments still import", async () => {
    const folder = writeFixtureFolder([tinyShopRecords("Shop One"), tinyShopRecords("Shop Two")]);
    const tasksFile = path.join(folder, "gen_tasks.jsonl");
    const [first = "", second = ""] = fs.readFileSync(tasksFile, "utf8").split("\n");
    fs.writeFileSync(tasksFile, `${first}\n{"scenario": "Shop Two", "tasks": [\n${second}\n`);
    const report = await importFolder(folder);
    assert.ok(report.errors.some((error) => error.file === "gen_tasks.jsonl" && error.line === 2), JSON.stringify(report.errors));
    assert.deepEqual(report.environments.map((env) => env.name).sort(), ["shop_one", "shop_two"]);
    assert.equal(report.environments.find((env) => env.name === "shop_two")?.counts.tasks, 2);
  });

  test("a cut-off CREATE TABLE and a failing INSERT are named with SQLite's words; the rest still builds", async () => {
    const records = tinyShopRecords("Broken Shop");
    const users = records.schema.db_schema.tables[0]!;
    users.ddl = "CREATE TABLE users (id INTEGER PRIMARY KEY, na";
    records.seed.sample_data.tables[1]!.insert_statements.push("INSERT INTO products (id, owner_id, name, price) VALUES (3, 1, 'Mug', 1.0);");
    const [env] = (await importFolder(writeFixtureFolder([records]))).environments;
    const schemaIssue = env?.issues.find((issue) => issue.stage === "schema");
    assert.match(schemaIssue?.where ?? "", /gen_db\.jsonl.*users/);
    assert.match(schemaIssue?.message ?? "", /incomplete input|syntax error/);
    const seedIssues = env?.issues.filter((issue) => issue.stage === "seed" && issue.severity === "error") ?? [];
    assert.ok(seedIssues.some((issue) => /products/.test(issue.where) && /UNIQUE constraint failed: products\.name/.test(issue.message)));
    assert.ok(seedIssues.some((issue) => /users/.test(issue.where) && /no such table: users/.test(issue.message)));
    assert.equal(env?.counts.seedFailures, 2);
    assert.equal(env?.counts.seedRows, 2);
  });

  test("verifier health joins the import report: a crashing verifier is an error, one that rewards doing nothing a warning", async () => {
    const records = tinyShopRecords("Verifier Health Shop");
    records.verifiers[0]!.verification.code = "def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return {'result': 'complete'}\n";
    records.verifiers[1]!.verification.code = "def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    raise ValueError('no such column: pricee')\n";
    const [env] = (await importFolder(writeFixtureFolder([records]))).environments;
    const verifierIssues = env?.issues.filter((issue) => issue.stage === "verifier") ?? [];
    const suspicious = verifierIssues.find((issue) => issue.location.taskIdx === 0);
    assert.equal(suspicious?.severity, "warning");
    assert.match(suspicious?.message ?? "", /says "complete" when nothing changed/);
    const broken = verifierIssues.find((issue) => issue.location.taskIdx === 1);
    assert.equal(broken?.severity, "error");
    assert.match(broken?.message ?? "", /ValueError: no such column: pricee/);
    assert.match(broken?.where ?? "", /gen_verifier\.pure_code\.jsonl line 2, task 1/);
    const skipped = (await importFolder(writeFixtureFolder([records]), { verifierHealth: false, revalidate: true })).environments[0];
    assert.equal(skipped?.issues.filter((issue) => issue.stage === "verifier").length, 0);
  });

  test("a missing folder is an error, not a crash", async () => {
    const report = await importFolder(path.join(os.tmpdir(), "no-such-awm-folder-xyz"));
    assert.equal(report.environments.length, 0);
    assert.match(report.errors[0]?.message ?? "", /no-such-awm-folder-xyz|not found|does not exist|ENOENT/);
  });

  test("import then export reproduces the same JSON values for every field", async () => {
    const folder = writeFixtureFolder([tinyShopRecords("Round Trip Shop")]);
    await importFolder(folder);
    const out = tempDir("awm-export-");
    await exportLibrary(out, ["round_trip_shop"]);
    assert.deepEqual(readJsonlRecords(out), readJsonlRecords(folder));
  });
});

describe("import of the real AWM samples", { skip: skipWithoutSamples() }, () => {
  test("reports the known failing INSERTs and gofundme's duplicate route", async () => {
    const report = await importFolder(realSamplesDir()!);
    const byName = new Map(report.environments.map((env) => [env.name, env]));
    assert.deepEqual([...byName.keys()].sort(), [
      "doordash_drive_delivery_tracking", "etsy_digital_downloads", "fortnite_item_shop", "gofundme", "rover",
    ]);
    assert.equal(byName.get("etsy_digital_downloads")?.counts.seedFailures, 1);
    assert.equal(byName.get("doordash_drive_delivery_tracking")?.counts.seedFailures, 1);
    for (const name of ["gofundme", "rover", "fortnite_item_shop"]) assert.equal(byName.get(name)?.counts.seedFailures, 0, name);
    const etsyInserts = report.environments.find((env) => env.name === "etsy_digital_downloads");
    assert.equal(etsyInserts?.issues.filter((issue) => issue.stage === "seed" && issue.severity === "error").length, 1);
    const duplicate = byName.get("gofundme")?.issues.find((issue) => issue.stage === "code" && /unreachable/.test(issue.message));
    assert.ok(duplicate, "gofundme duplicate route reported");
    assert.match(duplicate.message, /create_recurring_donation_intent|create_one_time_donation_intent/);
  });

  test("round trip over the real samples keeps every field's value", async () => {
    await importFolder(realSamplesDir()!);
    const out = tempDir("awm-export-real-");
    await exportLibrary(out, ["doordash_drive_delivery_tracking", "etsy_digital_downloads", "fortnite_item_shop", "gofundme", "rover"]);
    const expected = readJsonlRecords(realSamplesDir()!);
    delete expected["seed_scenario.jsonl"];
    assert.deepEqual(readJsonlRecords(out), expected);
  });
});
