/**
 * The database reader opens untrusted databases. A database that took it over (a SQLite bug) would
 * run as the reader does: these tests run such a takeover's script in the reader's own sandbox and
 * check what it reaches. The reads themselves are checked too, for files inside and outside the
 * folders the reader sees.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { detectSandbox } from "../runtime/sandbox.ts";
import { readUntrusted } from "./reader.ts";
import { newReaderInputFolder, newReaderOutputFolder, reachableByReader, readReaderOutput, spawnReader } from "./reader-sandbox.ts";

const home = useTempStudioHome("awm-reader-sandbox-");
after(() => fs.rmSync(home, { recursive: true, force: true }));
const noSandbox = !detectSandbox().available && "needs bubblewrap";

function makeDatabase(file: string, value: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.exec("CREATE TABLE t (x TEXT)");
  db.prepare("INSERT INTO t VALUES (?)").run(value);
  db.close();
}

/** What the takeover tries, each answered "reached" or the error's code. */
const takeover = (values: { home: string; project: string; studioPort: number; studioPid: number; inputs: string; outputs: string }) => String.raw`
import fs from "node:fs";
import net from "node:net";
const { home, project, studioPort, studioPid, inputs, outputs } = ${JSON.stringify(values)};
const results = {};
const attempt = async (name, act) => { try { await act(); results[name] = "reached"; } catch (error) { results[name] = error.code ?? error.message; } };
await attempt("read the studio token", () => fs.readFileSync(home + "/studio-token"));
await attempt("read the studio database", () => fs.readFileSync(home + "/studio.db"));
await attempt("read a seed", () => fs.readFileSync(home + "/envs/shop/seed.db"));
await attempt("overwrite a seed", () => fs.writeFileSync(home + "/envs/shop/seed.db", "gone"));
await attempt("write into the project", () => fs.writeFileSync(project + "/package.json", "{}"));
await attempt("read the project's other files", () => fs.readFileSync(project + "/README.md"));
await attempt("write where the studio puts its inputs", () => fs.writeFileSync(inputs + "/planted", "link or file"));
await attempt("write a kernel setting", () => fs.writeFileSync("/proc/sys/vm/swappiness", "60"));
await attempt("read the studio's environment", () => fs.readFileSync("/proc/" + studioPid + "/environ"));
await attempt("read the machine's users", () => fs.readFileSync("/etc/passwd"));
await attempt("write its outputs", () => fs.writeFileSync(outputs + "/mine", "ok"));
await attempt("connect to the studio", () => new Promise((resolve, reject) => {
  const socket = net.connect(studioPort, "127.0.0.1", () => { socket.end(); resolve(); });
  socket.on("error", reject);
}));
process.stdout.write(JSON.stringify(results));
`;

test("a reader taken over by a database reaches its seeds read-only and its outputs, not the studio's token, database, project, inputs, kernel settings, environment or network", { skip: noSandbox }, async () => {
  fs.writeFileSync(path.join(home, "studio-token"), "secret-token");
  makeDatabase(path.join(home, "studio.db"), "the studio's own");
  makeDatabase(path.join(home, "envs", "shop", "seed.db"), "seed");
  const studio = http.createServer((_request, response) => response.end("studio"));
  await new Promise<void>((resolve) => studio.listen(0, "127.0.0.1", resolve));
  after(() => studio.close());
  const inputs = newReaderInputFolder("takeover-");
  const outputs = newReaderOutputFolder("takeover-");
  const script = path.join(inputs, "takeover.mjs");
  fs.writeFileSync(script, takeover({ home, project: process.cwd(), studioPort: (studio.address() as AddressInfo).port, studioPid: process.pid, inputs, outputs }));
  const child = spawnReader(script, { memoryBytes: 512 * 2 ** 20, heapMb: 64, maxProcesses: 64 });
  child.stdin?.end();
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
  await new Promise((resolve) => child.once("close", resolve));
  assert.ok(out, `the takeover script printed nothing: ${err}`);
  const results = JSON.parse(out) as Record<string, string>;
  assert.deepEqual(results, {
    "read the studio token": "ENOENT",
    "read the studio database": "ENOENT",
    "read a seed": "reached",
    "overwrite a seed": "EROFS",
    "write into the project": "EROFS",
    // Only its code and modules: not a .env with a key, not an old ./data.
    "read the project's other files": "ENOENT",
    "write where the studio puts its inputs": "EROFS",
    "write a kernel setting": "EROFS",
    "read the studio's environment": "ENOENT",
    "read the machine's users": "ENOENT",
    "write its outputs": "reached",
    // A network of its own: the studio's listening port is not there.
    "connect to the studio": "ECONNREFUSED",
  });
  assert.equal(readReaderOutput(path.join(outputs, "mine")).toString(), "ok", "what it writes to its outputs is the studio's to read");
});

test("a database inside the studio's folders is read where it is; one outside is read through a copy, removed after, and errors name the file as given", async () => {
  const inside = path.join(home, "trajectories", "run-1", "final.db");
  makeDatabase(inside, "inside");
  const outsideDir = fs.mkdtempSync(path.join(path.dirname(home), "awm-reader-outside-"));
  after(() => fs.rmSync(outsideDir, { recursive: true, force: true }));
  const outside = path.join(outsideDir, "initial.db");
  makeDatabase(outside, "outside");
  const diff = await readUntrusted("diff", { before: outside, after: inside });
  assert.deepEqual(diff.tables.t?.updated.map(({ before, after }) => [before.x, after.x]), [["outside", "inside"]], "both files read as they are");
  const copy = reachableByReader(outside, home);
  assert.notEqual(copy.file, outside);
  assert.ok(fs.existsSync(copy.file));
  copy.done();
  assert.ok(!fs.existsSync(path.dirname(copy.file)), "the copy is removed once read");
  assert.equal(reachableByReader(inside, home).file, fs.realpathSync(inside), "one inside is read where it is");
  fs.writeFileSync(path.join(outsideDir, "broken.db"), "not a database at all, but long enough to be taken for one by nobody");
  await assert.rejects(readUntrusted("introspect", { file: path.join(outsideDir, "broken.db") }), (error: Error) => {
    assert.match(error.message, new RegExp(path.join(outsideDir, "broken.db").replaceAll("/", "\\/")));
    assert.doesNotMatch(error.message, /copy-/);
    return true;
  });
});

test("a process that moves to another studio home reads that home's databases: a reader sees the home it was started for", async () => {
  const first = path.join(home, "envs", "first", "seed.db");
  makeDatabase(first, "first");
  assert.equal((await readUntrusted("introspect", { file: first }))[0]?.name, "t");
  const other = fs.mkdtempSync(path.join(path.dirname(home), "awm-reader-other-home-"));
  after(() => fs.rmSync(other, { recursive: true, force: true }));
  const previous = process.env.AWM_STUDIO_HOME;
  process.env.AWM_STUDIO_HOME = other;
  try {
    const second = path.join(other, "trajectories", "run-2", "final.db");
    makeDatabase(second, "second");
    assert.equal((await readUntrusted("introspect", { file: second }))[0]?.rowCount, 1);
  } finally {
    process.env.AWM_STUDIO_HOME = previous;
  }
});

test("a database in WAL mode in the studio's folders is read through a copy the reader can put its -shm beside", async () => {
  const file = path.join(home, "trajectories", "run-wal", "final.db");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('wal')");
  db.close();
  assert.equal((await readUntrusted("introspect", { file }))[0]?.rowCount, 1);
  assert.deepEqual((await readUntrusted("diff", { before: file, after: file })).tables, {});
});

test("what a taken-over reader leaves in its outputs is never followed: a link planted where the studio reads is refused", () => {
  const outputs = newReaderOutputFolder("planted-");
  const token = path.join(home, "studio-token");
  fs.writeFileSync(token, "secret-token");
  fs.symlinkSync(token, path.join(outputs, "merged.sqlite"));
  assert.throws(() => readReaderOutput(path.join(outputs, "merged.sqlite")), /ELOOP/);
  fs.mkdirSync(path.join(outputs, "a-folder"));
  assert.throws(() => readReaderOutput(path.join(outputs, "a-folder")), /is not a regular file/);
});
