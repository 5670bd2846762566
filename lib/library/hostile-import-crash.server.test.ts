/**
 * Issue 11, item 8: crash consistency of import. The studio (here the CLI) is SIGKILLed in the
 * middle of a real import: no half environment may be visible, the run must be reported
 * interrupted by the next process, and resuming it must finish the job. Scenario names too long
 * for a file name must still import, under a bounded, safe file name.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { normalizeScenarioName } from "../awm/normalize.ts";
import { projectRoot } from "../config/paths.ts";
import { closeStudioDb, studioDb } from "../store/db.ts";
import { undefinedIfNotFound } from "../errors.ts";
import { listEnvironments } from "../store/environments.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { tinyShopRecords, writeFixtureFolder } from "../testing/awm-fixture.ts";
import { importFolder, resumeImport } from "./import.ts";
import { createImportRun, listImportRuns } from "./import-runs.ts";
import { exportLibrary } from "./export.ts";

const CLI = path.join(projectRoot(), "bin", "awm-studio.mjs");
const SHOPS = ["Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hazel"].map((tree) => `${tree} Shop`);

let home = "";
before(() => {
  home = useTempStudioHome("awm-hostile-crash-");
});
after(() => closeStudioDb());

function cli(cliHome: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, AWM_STUDIO_HOME: cliHome }, encoding: "utf8", timeout: 120_000 });
  assert.equal(result.error, undefined);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Starts `awm-studio import` and SIGKILLs it in the middle of an environment: once one environment
 * is done, as soon as the studio database holds another that the import has created but not finished.
 */
function importKilledMidway(cliHome: string, folder: string): Promise<void> {
  const child = spawn(process.execPath, [CLI, "import", folder], { env: { ...process.env, AWM_STUDIO_HOME: cliHome }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  let watch: NodeJS.Timeout | undefined;
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (watch || !stderr.includes(`[1/${SHOPS.length}]`)) return;
      const db = new Database(path.join(cliHome, "studio.db"), { readonly: true });
      const unfinished = db.prepare(`SELECT count(*) FROM Environment WHERE importState = 'new'`).pluck();
      watch = setInterval(() => {
        if ((unfinished.get() as number) > 0) child.kill("SIGKILL");
      }, 2);
      child.once("close", () => db.close());
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearInterval(watch);
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`the import ended by itself (code ${code}) before it could be killed:\n${stderr}`));
    });
  });
}

interface StoredEnvironment {
  name: string;
  importState: string;
  taskCount: number;
  tableCount: number;
  seedDbFile: string;
}

function storedEnvironments(cliHome: string): StoredEnvironment[] {
  const db = new Database(path.join(cliHome, "studio.db"), { readonly: true });
  try {
    return db.prepare(`SELECT name, importState, taskCount, tableCount, seedDbFile FROM Environment ORDER BY name`).all() as StoredEnvironment[];
  } finally {
    db.close();
  }
}

describe("an import killed midway", () => {
  test("leaves no half environment visible, is reported interrupted on the next start, and resume finishes it", async () => {
    const cliHome = fs.mkdtempSync(path.join(os.tmpdir(), "awm-hostile-crash-cli-"));
    const folder = writeFixtureFolder(SHOPS.map((name) => tinyShopRecords(name)));
    await importKilledMidway(cliHome, folder);

    const stored = storedEnvironments(cliHome);
    assert.ok(stored.some((env) => env.importState === "new"), "the kill landed inside an environment's import");
    for (const env of stored.filter((candidate) => candidate.importState === "complete")) {
      assert.deepEqual([env.name, env.taskCount, env.tableCount, fs.existsSync(env.seedDbFile)], [env.name, 2, 2, true], "a complete environment is whole");
    }
    const listed = JSON.parse(cli(cliHome, "list", "--json").stdout) as { environments: { name: string; taskCount: number; importState: string }[] };
    const whole = stored.filter((env) => env.importState === "complete").map((env) => env.name);
    assert.deepEqual(listed.environments.map((env) => env.name), whole, "only whole environments are listed");
    assert.ok(listed.environments.length >= 1);

    const { runs } = JSON.parse(cli(cliHome, "imports", "--json").stdout) as { runs: { id: string; status: string; done: number; total: number }[] };
    assert.equal(runs.length, 1);
    const [run] = runs;
    assert.equal(run?.status, "interrupted");
    assert.equal(run.total, SHOPS.length);
    assert.equal(run.done, whole.length);

    const resumed = cli(cliHome, "import", "--resume", run.id, "--json");
    assert.equal(resumed.code, 0, resumed.stderr);
    const report = JSON.parse(resumed.stdout) as { environments: { name: string; counts: { tasks: number } }[]; errors: unknown[] };
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.environments.map((env) => [env.name, env.counts.tasks]).sort(), SHOPS.map((name) => [normalizeScenarioName(name), 2]));

    const after = JSON.parse(cli(cliHome, "list", "--json").stdout) as { environments: { name: string; taskCount: number; importState: string }[] };
    assert.deepEqual(after.environments.map((env) => [env.name, env.taskCount, env.importState]), SHOPS.map((name) => [normalizeScenarioName(name), 2, "complete"]));
    assert.ok(storedEnvironments(cliHome).every((env) => env.importState === "complete" && fs.existsSync(env.seedDbFile)));
    assert.equal((JSON.parse(cli(cliHome, "imports", "--json").stdout) as { runs: { status: string }[] }).runs[0]?.status, "finished");
    assert.match(cli(cliHome, "import", "--resume", run.id).stderr, /only an interrupted import can be resumed/);
  });

  test("an environment an import has not finished is hidden from list, detail and export until the run is resumed", async () => {
    const folder = writeFixtureFolder([tinyShopRecords("Oak Shop"), tinyShopRecords("Pine Shop")]);
    const runId = await createImportRun(folder);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    await studioDb().importRun.update({ where: { id: runId }, data: { progress: JSON.stringify({ owner: { host: os.hostname(), pid: dead, heartbeatAt: new Date().toISOString() }, total: 2, done: {} }) } });
    await studioDb().environment.create({ data: { name: "oak_shop", scenario: "Oak Shop", importState: "new" } });

    assert.equal((await listEnvironments()).some((env) => env.name === "oak_shop"), false);
    assert.equal(await loadEnvironment("oak_shop").catch(undefinedIfNotFound), undefined);
    await assert.rejects(exportLibrary(fs.mkdtempSync(path.join(os.tmpdir(), "awm-export-")), ["oak_shop"]), /unknown environment\(s\): oak_shop/);
    assert.equal((await listImportRuns()).find((run) => run.id === runId)?.status, "interrupted");

    const report = await resumeImport(runId, { verifierHealth: false });
    assert.deepEqual(report.environments.map((env) => [env.name, env.status]), [["oak_shop", "created"], ["pine_shop", "created"]]);
    assert.equal((await loadEnvironment("oak_shop")).taskCount, 2);
    assert.equal((await listImportRuns()).find((run) => run.id === runId)?.status, "finished");
  });
});

test("a 300-character scenario name imports under a bounded, safe file name", async () => {
  const scenario = Array.from({ length: 30 }, (_, i) => `Word${String(i).padStart(2, "0")}`).join(" ").padEnd(300, "x");
  assert.equal(scenario.length, 300);
  const report = await importFolder(writeFixtureFolder([tinyShopRecords(scenario)]), { verifierHealth: false });
  assert.deepEqual(report.errors, []);
  const name = normalizeScenarioName(scenario);
  assert.deepEqual(report.environments.map((env) => [env.name, env.status, env.counts.tasks]), [[name, "created", 2]]);
  const stored = await loadEnvironment(name, { issues: true });
  assert.ok(stored && fs.existsSync(stored.seedDbFile), "its seed database exists");
  const parts = path.relative(home, stored.seedDbFile).split(path.sep);
  assert.ok(parts.every((part) => part.length <= 80 && part !== "." && part !== ".."), parts.join(" / "));
  assert.match(parts[1] ?? "", /^word00_word01_[a-z0-9_]+-[0-9a-f]{12}$/);
});
