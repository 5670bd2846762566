/**
 * A run import killed midway leaves no trajectory: its databases are copied into a folder of their
 * own before any row is written, and the rows go in one transaction. What the kill left on disk (the
 * staged upload, the half-copied folder) goes at the next server start (sweepLeftovers).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { projectRoot } from "../config/paths.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-import-killed-");
const { importTinyShop } = await import("../testing/tiny-shop-instance.ts");
const { writeRunJson } = await import("../testing/run-folder.ts");
const { studioDb, closeStudioDb } = await import("../store/db.ts");
const { sweepLeftovers } = await import("../startup/sweep-leftovers.ts");

const HOUR_MS = 60 * 60 * 1000;

before(() => importTinyShop());
after(async () => {
  await closeStudioDb();
  fs.rmSync(home, { recursive: true, force: true });
});

/** A run of the tiny shop whose initial.db is 150 MiB: long enough to copy that a kill lands during it. */
function bigRunFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-import-killed-run-"));
  writeRunJson(folder, { scenario: "Tiny Shop", task_id: 0, task: "Rename product 1.", trajectory: [{ role: "assistant", content: "Done.", is_final: true }] });
  const db = new Database(path.join(folder, "initial.db"));
  db.exec("CREATE TABLE ballast (data BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150) INSERT INTO ballast SELECT zeroblob(1048576) FROM n;");
  db.close();
  return folder;
}

/** The first file of a folder the import is copying a database into, once it has some bytes. */
async function copyUnderWay(deadline: number): Promise<string> {
  const root = path.join(home, "trajectories");
  for (; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 2))) {
    for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) {
      const file = path.join(root, name, "initial.db");
      if ((fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0) > 0) return path.join(root, name);
    }
  }
  throw new Error("no database copy was seen under way");
}

test("an import killed while it copies the run's database leaves no trajectory, and the next start removes what it left", { timeout: 60_000 }, async () => {
  const folder = bigRunFolder();
  const child = spawn(process.execPath, [path.join(projectRoot(), "bin", "awm-studio.mjs"), "import-run", folder], { env: { ...process.env, AWM_STUDIO_HOME: home }, stdio: "ignore" });
  const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once("close", (_code, signal) => resolve(signal)));
  const copying = await copyUnderWay(Date.now() + 30_000);
  child.kill("SIGKILL");
  assert.equal(await exit, "SIGKILL");

  assert.equal(await studioDb().trajectory.count(), 0, "no trajectory, not even an empty one, is listed or exported");
  assert.ok(fs.existsSync(copying), "the half-copied folder is left by the kill");
  assert.deepEqual(await sweepLeftovers(Date.now()), [], "an hour has not passed: it may be an import under way");
  const removed = await sweepLeftovers(Date.now() + 2 * HOUR_MS);
  assert.ok(removed.includes(path.join("trajectories", path.basename(copying))), JSON.stringify(removed));
  assert.ok(removed.some((entry) => entry.startsWith(`uploads${path.sep}`)), `the staged copy of the run folder goes too: ${JSON.stringify(removed)}`);
  assert.deepEqual(fs.readdirSync(path.join(home, "trajectories")), []);
  assert.deepEqual(fs.readdirSync(path.join(home, "uploads")), []);
  fs.rmSync(folder, { recursive: true, force: true });
});
