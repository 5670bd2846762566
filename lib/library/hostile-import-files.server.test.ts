/**
 * Issue 11, item 5: hostile files in an imported AWM folder. Each attack is performed for real
 * through the CLI in a child process with a deadline, so a read that blocks fails the test
 * instead of hanging it; every refusal must name the file and the reason or cap.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { CAPS, capText } from "../config/caps.ts";
import { projectRoot } from "../config/paths.ts";
import { closeStudioDb } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { tinyShopRecords, writeFixtureFolder } from "../testing/awm-fixture.ts";
import { importFolder } from "./import.ts";

const DEADLINE_MS = 60_000;
let home = "";

before(() => {
  home = useTempStudioHome("awm-hostile-import-");
});
after(() => closeStudioDb());

interface CliReport {
  environments: { name: string; counts: { tasks: number; tables: number } }[];
  errors: { file: string; line?: number; message: string }[];
}

/** `awm-studio import --json` in a child process that is killed if it does not answer in time. */
function cliImport(folder: string): CliReport {
  const result = spawnSync(process.execPath, [path.join(projectRoot(), "bin", "awm-studio.mjs"), "import", folder, "--json", "--skip-verifier-health"], {
    env: { ...process.env, AWM_STUDIO_HOME: fs.mkdtempSync(path.join(home, "cli-")) },
    encoding: "utf8",
    timeout: DEADLINE_MS,
    killSignal: "SIGKILL",
  });
  assert.equal(result.error, undefined, `the import did not finish within ${DEADLINE_MS} ms: it blocked`);
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  return JSON.parse(result.stdout) as CliReport;
}

function twoShops(): string {
  return writeFixtureFolder([tinyShopRecords("Shop One"), tinyShopRecords("Shop Two")]);
}

function errorFor(report: CliReport, file: string) {
  const found = report.errors.find((error) => error.file === file);
  assert.ok(found, `no error for ${file}: ${JSON.stringify(report.errors)}`);
  return found;
}

test("a FIFO named gen_scenario.jsonl is refused at once; the other files still import", () => {
  const folder = twoShops();
  fs.rmSync(path.join(folder, "gen_scenario.jsonl"));
  execFileSync("mkfifo", [path.join(folder, "gen_scenario.jsonl")]);
  const report = cliImport(folder);
  assert.match(errorFor(report, "gen_scenario.jsonl").message, /gen_scenario\.jsonl is a FIFO \(named pipe\), not a regular file/);
  assert.deepEqual(report.environments.map((env) => [env.name, env.counts.tasks]).sort(), [["shop_one", 2], ["shop_two", 2]]);
});

test("a link to /dev/zero named gen_tasks.jsonl is refused as leaving the folder, without reading it", () => {
  const folder = twoShops();
  fs.rmSync(path.join(folder, "gen_tasks.jsonl"));
  fs.symlinkSync("/dev/zero", path.join(folder, "gen_tasks.jsonl"));
  const report = cliImport(folder);
  assert.match(errorFor(report, "gen_tasks.jsonl").message, /gen_tasks\.jsonl is a link to \/dev\/zero, outside the folder/);
  assert.deepEqual(report.environments.map((env) => [env.name, env.counts.tasks, env.counts.tables]).sort(), [["shop_one", 0, 2], ["shop_two", 0, 2]]);
});

test("a link to a file outside the folder is refused; a link to a file inside it is followed", () => {
  const folder = twoShops();
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), "awm-outside-"));
  fs.renameSync(path.join(folder, "gen_tasks.jsonl"), path.join(outside, "gen_tasks.jsonl"));
  fs.symlinkSync(path.join(outside, "gen_tasks.jsonl"), path.join(folder, "gen_tasks.jsonl"));
  fs.mkdirSync(path.join(folder, "parts"));
  fs.renameSync(path.join(folder, "gen_db.jsonl"), path.join(folder, "parts", "schemas.jsonl"));
  fs.symlinkSync(path.join("parts", "schemas.jsonl"), path.join(folder, "gen_db.jsonl"));
  const report = cliImport(folder);
  assert.match(errorFor(report, "gen_tasks.jsonl").message, /is a link to .*awm-outside-.*gen_tasks\.jsonl, outside the folder .*; only files inside the imported folder are read/);
  assert.ok(!report.errors.some((error) => error.file === "gen_db.jsonl"), JSON.stringify(report.errors));
  assert.deepEqual(report.environments.map((env) => [env.name, env.counts.tasks, env.counts.tables]).sort(), [["shop_one", 0, 2], ["shop_two", 0, 2]]);
});

test("a file over the file cap is refused before a byte is read (a sparse file, so the test stays small)", () => {
  const folder = twoShops();
  const file = path.join(folder, "gen_envs.jsonl");
  fs.truncateSync(file, CAPS.awmFile.bytes + 1);
  const report = cliImport(folder);
  const error = errorFor(report, "gen_envs.jsonl");
  assert.ok(error.message.includes(capText(CAPS.awmFile)), error.message);
  assert.match(error.message, /gen_envs\.jsonl is 512\.0 MiB, over the 512 MiB cap/);
  assert.equal(report.environments.length, 2);
});

test("files each under the file cap but together over the folder's are refused before a byte is read: nothing imports", () => {
  const folder = twoShops();
  // Sparse: three files of 400 MiB say 1.2 GiB together, over the 1 GiB the studio's memory can hold of one folder.
  for (const name of ["gen_envs.jsonl", "gen_db.jsonl", "gen_tasks.jsonl"]) fs.truncateSync(path.join(folder, name), 400 * 2 ** 20);
  const report = cliImport(folder);
  const error = errorFor(report, folder);
  assert.ok(error.message.includes(capText(CAPS.awmFolder)), error.message);
  assert.match(error.message, /^the sum of the folder's AWM files \(.*gen_db\.jsonl.*\) is 1200\.\d MiB, over the 1024 MiB cap on the AWM \.jsonl files of one folder together; it was not read$/);
  assert.equal(report.environments.length, 0);
});

test("a line over the line cap is skipped with its file, line and the cap; every other record and environment imports", async () => {
  const folder = writeFixtureFolder([tinyShopRecords("Shop One"), tinyShopRecords("Shop Two"), tinyShopRecords("Shop Three")]);
  const tasksFile = path.join(folder, "gen_tasks.jsonl");
  const [one = "", , three = ""] = fs.readFileSync(tasksFile, "utf8").split("\n");
  // Line 2 is one JSON object just over the cap, written in pieces so the test never holds it.
  const fd = fs.openSync(tasksFile, "w");
  fs.writeSync(fd, `${one}\n{"scenario": "Shop Two", "tasks": ["`);
  const piece = Buffer.alloc(1024 * 1024, "x");
  for (let written = 0; written < CAPS.awmLine.bytes; written += piece.length) fs.writeSync(fd, piece);
  fs.writeSync(fd, `x"]}\n${three}\n`);
  fs.closeSync(fd);

  const report = await importFolder(folder, { verifierHealth: false });
  const error = report.errors.find((candidate) => candidate.file === "gen_tasks.jsonl");
  assert.equal(error?.line, 2, JSON.stringify(report.errors));
  assert.ok(error.message.includes(capText(CAPS.awmLine)), error.message);
  assert.match(error.message, /^line 2 is 16\.0 MiB, over the 16 MiB cap on one line of an AWM \.jsonl file; it was skipped$/);
  assert.deepEqual(report.environments.map((env) => [env.name, env.counts.tasks]).sort(), [["shop_one", 2], ["shop_three", 2], ["shop_two", 0]]);
  assert.equal((await loadEnvironment("shop_three")).taskCount, 2);
});

test("a seed scenarios file that is a FIFO, or a link to /dev/zero, is refused at once by gen", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-hostile-seeds-"));
  execFileSync("mkfifo", [path.join(folder, "fifo.jsonl")]);
  fs.symlinkSync("/dev/zero", path.join(folder, "zero.jsonl"));
  for (const [file, reason] of [["fifo.jsonl", /fifo\.jsonl is a FIFO \(named pipe\), not a regular file/], ["zero.jsonl", /zero\.jsonl is a link to \/dev\/zero, outside the folder/]] as const) {
    const result = spawnSync(process.execPath, [path.join(projectRoot(), "bin", "awm-studio.mjs"), "gen", "--seeds", path.join(folder, file), "--count", "1"], {
      env: { ...process.env, AWM_STUDIO_HOME: fs.mkdtempSync(path.join(home, "gen-")) },
      encoding: "utf8",
      timeout: DEADLINE_MS,
      killSignal: "SIGKILL",
    });
    assert.equal(result.error, undefined, `gen did not finish within ${DEADLINE_MS} ms: it blocked on ${file}`);
    assert.equal(result.status, 1);
    assert.match(result.stderr, reason);
  }
});
