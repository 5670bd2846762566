/**
 * Issue 11, item 5: hostile run folders and uploads. Folder attacks run through the CLI in a child
 * process with a deadline (a blocking read fails the test instead of hanging it); upload caps are
 * checked on the function the upload route calls. Over-cap files are sparse, so the test stays small.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { CAPS, capText } from "../config/caps.ts";
import { projectRoot } from "../config/paths.ts";
import { InputTooLargeError } from "../input/input-file.ts";
import { closeStudioDb } from "../store/db.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { writeRunJson } from "../testing/run-folder.ts";
import { importUploadedRun, readRunUpload } from "./run-upload.ts";

const DEADLINE_MS = 60_000;
const home = useTempStudioHome("awm-hostile-run-");
const { importTinyShop } = await import("../testing/tiny-shop-instance.ts");
// The run folders name the tiny shop: a folder that passes every check before reads its files.
before(() => importTinyShop());
after(() => closeStudioDb());

function runFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-hostile-run-folder-"));
  writeRunJson(folder, { scenario: "Tiny Shop", task_id: 0, task: "Rename product 1.", trajectory: [] });
  return folder;
}

/** `awm-studio import-run`, killed if it does not answer in time; returns its error output. */
function cliImportRun(folder: string): string {
  const result = spawnSync(process.execPath, [path.join(projectRoot(), "bin", "awm-studio.mjs"), "import-run", folder], {
    env: { ...process.env, AWM_STUDIO_HOME: home },
    encoding: "utf8",
    timeout: DEADLINE_MS,
    killSignal: "SIGKILL",
  });
  assert.equal(result.error, undefined, `import-run did not finish within ${DEADLINE_MS} ms: it blocked`);
  assert.equal(result.status, 1, result.stdout);
  return result.stderr;
}

test("a FIFO named trajectory.json is refused at once", () => {
  const folder = runFolder();
  fs.rmSync(path.join(folder, "trajectory.json"));
  execFileSync("mkfifo", [path.join(folder, "trajectory.json")]);
  assert.match(cliImportRun(folder), /trajectory\.json is a FIFO \(named pipe\), not a regular file; only regular files are read/);
});

test("initial.db linked to /dev/zero is refused as leaving the folder", () => {
  const folder = runFolder();
  fs.symlinkSync("/dev/zero", path.join(folder, "initial.db"));
  assert.match(cliImportRun(folder), /initial\.db is a link to \/dev\/zero, outside the folder/);
});

test("a final.db that is no SQLite database is refused by name before SQLite opens it, and no run is left", async () => {
  const folder = runFolder();
  fs.writeFileSync(path.join(folder, "final.db"), "PK\x03\x04 a zip, not a database");
  assert.match(cliImportRun(folder), new RegExp(`${folder.replaceAll("/", "\\/")}\\/final\\.db: not an SQLite database \\(it does not begin with SQLite's file header\\)`));
  const { studioDb } = await import("../store/db.ts");
  assert.equal(await studioDb().trajectory.count(), 0);
});

test("a database over its cap, and files over the folder's total cap, are refused with the cap", () => {
  const folder = runFolder();
  fs.writeFileSync(path.join(folder, "final.db"), "");
  fs.truncateSync(path.join(folder, "final.db"), CAPS.runDatabase.bytes + 1);
  assert.ok(cliImportRun(folder).includes(`final.db is 256.0 MiB, over ${capText(CAPS.runDatabase)}`));

  fs.truncateSync(path.join(folder, "final.db"), CAPS.runDatabase.bytes);
  fs.writeFileSync(path.join(folder, "initial.db"), "");
  fs.truncateSync(path.join(folder, "initial.db"), CAPS.runDatabase.bytes);
  assert.ok(cliImportRun(folder).includes(capText(CAPS.runUpload)));
});

function uploadRequest(form: FormData, headers: Record<string, string> = {}): Request {
  return new Request("http://127.0.0.1/api/trajectories/import", { method: "POST", body: form, headers });
}

test("an upload declaring more than the cap is refused before its body is read", async () => {
  const form = new FormData();
  form.append("trajectory.json", new Blob(["{}"]), "trajectory.json");
  const request = uploadRequest(form, { "content-length": String(CAPS.runUpload.bytes * 2) });
  await assert.rejects(readRunUpload(request), (error: Error) => error instanceof InputTooLargeError && error.message.includes(capText(CAPS.runUpload)));
  assert.equal(request.bodyUsed, false);
});

test("an uploaded file over its own cap is refused naming the file and the cap", async () => {
  const form = new FormData();
  form.append("files", new Blob(['{"scenario": "x", "task_id": 0, "trajectory": []}']), "trajectory.json");
  form.append("files", new Blob([Buffer.alloc(CAPS.verdictFile.bytes + 1, " ")]), "verify.code.json");
  await assert.rejects(readRunUpload(uploadRequest(form)), (error: Error) => error instanceof InputTooLargeError && error.message === `verify.code.json is 16.0 MiB, over ${capText(CAPS.verdictFile)}; it was not read`);
  await assert.rejects(
    importUploadedRun([
      { name: "trajectory.json", bytes: new Uint8Array(2) },
      { name: "verify.sql.json", bytes: new Uint8Array(CAPS.verdictFile.bytes + 1) },
    ]),
    InputTooLargeError,
  );
});
