import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { runVerifier, runVerifiers, type VerifierJob } from "./run-verifier.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-run-verifier-test-"));
const initialDb = path.join(dir, "initial.db");
const finalDb = path.join(dir, "final.db");

function writeDb(file: string, names: string[], wal = false): void {
  const db = new Database(file);
  if (wal) db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO products (name) VALUES (?)");
  for (const name of names) insert.run(name);
  db.close();
}

function codeVerifier(body: string): string {
  return `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n${body.replace(/^/gm, "    ")}\n`;
}

const COUNT_NEW_ROWS = codeVerifier(`import sqlite3
before = sqlite3.connect(initial_db_path).execute("SELECT COUNT(*) FROM products").fetchone()[0]
after = sqlite3.connect(final_db_path).execute("SELECT COUNT(*) FROM products").fetchone()[0]
return {"result": "complete" if after == before + 1 else "others", "before": before, "after": after}`);

const job = (code: string, extra: Partial<VerifierJob> = {}): VerifierJob => ({ code, mode: "code", initialDbFile: initialDb, finalDbFile: finalDb, ...extra });

before(() => {
  writeDb(initialDb, ["Mug"]);
  writeDb(finalDb, ["Mug", "Tea Pot"]);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("runVerifier", () => {
  test("a code verifier compares the two databases and decides", async () => {
    const run = await runVerifier(job(COUNT_NEW_ROWS));
    assert.equal(run.ok, true, run.ok ? "" : run.error);
    assert.deepEqual(run.ok && run.output, { result: "complete", before: 1, after: 2 });
    const unchanged = await runVerifier(job(COUNT_NEW_ROWS, { finalDbFile: initialDb }));
    assert.deepEqual(unchanged.ok && unchanged.output, { result: "others", before: 1, after: 1 });
  });

  test("only sqlite3, json, os and re are in scope; other modules must be imported", async () => {
    const code = codeVerifier(`names = sorted(k for k in globals() if not k.startswith("__"))
try:
    math.floor(1.5)
    math_visible = True
except NameError:
    math_visible = False
import math
return {"result": "others", "names": names, "math_visible": math_visible, "floor": math.floor(1.5)}`);
    const run = await runVerifier(job(code));
    assert.equal(run.ok, true, run.ok ? "" : run.error);
    const output = run.ok ? (run.output as { names: string[]; math_visible: boolean; floor: number }) : undefined;
    assert.deepEqual(output?.names, ["json", "os", "re", "sqlite3", "verify_task_completion"]);
    assert.equal(output?.math_visible, false);
    assert.equal(output?.floor, 1);
  });

  test("the final answer reaches a code verifier; an sql verifier returns its evidence dict", async () => {
    const echo = codeVerifier(`return {"result": "complete" if final_answer == "47.98" else "others"}`);
    const answered = await runVerifier(job(echo, { finalAnswer: "47.98" }));
    assert.deepEqual(answered.ok && answered.output, { result: "complete" });
    const evidence = `def verify_task(initial_db_path, final_db_path):
    rows = sqlite3.connect(final_db_path).execute("SELECT name FROM products ORDER BY id").fetchall()
    return {"names": [r[0] for r in rows], "ids": {1, 2}, "ratio": float("nan")}`;
    const run = await runVerifier({ code: evidence, mode: "sql", initialDbFile: initialDb, finalDbFile: finalDb });
    assert.deepEqual(run.ok && run.output, { names: ["Mug", "Tea Pot"], ids: [1, 2], ratio: "nan" });
  });

  test("a verifier that writes to a database fails, and the database is untouched", async () => {
    const writer = codeVerifier(`conn = sqlite3.connect(final_db_path)
conn.execute("DELETE FROM products")
conn.commit()
return {"result": "complete"}`);
    const run = await runVerifier(job(writer));
    assert.equal(run.ok, false);
    assert.match(!run.ok ? run.error : "", /attempt to write a readonly database/);
    assert.match(!run.ok ? run.error : "", /verifier\.py", line 3/);
    const rows = new Database(finalDb, { readonly: true }).prepare("SELECT COUNT(*) AS n FROM products").get() as { n: number };
    assert.equal(rows.n, 2);
  });

  test("a verifier cannot reach the network, not even a server on the host's loopback", async () => {
    const server = net.createServer((socket) => socket.end("hello"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const dialer = codeVerifier(`import socket
socket.create_connection(("127.0.0.1", ${port}), timeout=2).recv(5)
return {"result": "complete"}`);
      const run = await runVerifier(job(dialer));
      assert.equal(run.ok, false);
      assert.match(!run.ok ? run.error : "", /ConnectionRefusedError|Network is unreachable|OSError/);
    } finally {
      server.close();
    }
  });

  test("an endless loop times out", async () => {
    const run = await runVerifier({ ...job(codeVerifier("while True:\n    pass")), timeoutMs: 500 });
    assert.deepEqual(run.ok ? "ran" : run.error, "timed out after 0.5 s");
  });

  test("an exception is reported with the verifier's traceback", async () => {
    const run = await runVerifier(job(codeVerifier(`rows = {}\nreturn {"result": rows["missing"]}`)));
    assert.equal(run.ok, false);
    const error = !run.ok ? run.error : "";
    assert.match(error, /File "verifier\.py", line 3, in verify_task_completion/);
    assert.match(error, /KeyError: 'missing'/);
    assert.doesNotMatch(error, /verifier_runner\.py/);
  });

  test("a wrong return shape is an error naming what came back", async () => {
    const cases: [string, RegExp][] = [
      [codeVerifier(`return "complete"`), /returned a str \("complete"\); expected a dict/],
      [codeVerifier(`return {"status": "complete"}`), /without "result"/],
      [codeVerifier(`return {"result": "Complete"}`), /"result": "Complete"; expected "complete" or "others"/],
      ["x = 1", /defines no function verify_task_completion/],
    ];
    for (const [code, expected] of cases) {
      const run = await runVerifier(job(code));
      assert.equal(run.ok, false, code);
      assert.match(!run.ok ? run.error : "", expected);
    }
  });

  test("a WAL database with unmerged pages is read in full", async () => {
    const walDb = path.join(dir, "wal.db");
    writeDb(walDb, ["Mug"], true);
    const writer = new Database(walDb);
    writer.pragma("wal_autocheckpoint = 0");
    writer.prepare("INSERT INTO products (name) VALUES ('Tea Pot')").run();
    try {
      assert.ok(fs.statSync(`${walDb}-wal`).size > 0);
      const run = await runVerifier(job(COUNT_NEW_ROWS, { finalDbFile: walDb }));
      assert.deepEqual(run.ok && run.output, { result: "complete", before: 1, after: 2 });
    } finally {
      writer.close();
    }
  });
});

describe("runVerifier on WAL databases without a -wal file", () => {
  test("a database whose header says WAL, alone (a snapshot, a run's file), is staged switched to a rollback journal and read", async () => {
    const walDb = path.join(dir, "wal-alone.db");
    writeDb(walDb, ["Mug", "Tea Pot"], true);
    assert.equal(fs.existsSync(`${walDb}-wal`), false, "closed: merged and removed");
    assert.equal(fs.readFileSync(walDb)[18], 2, "the header still says WAL");
    const run = await runVerifier(job(COUNT_NEW_ROWS, { finalDbFile: walDb }));
    assert.deepEqual(run.ok && run.output, { result: "complete", before: 1, after: 2 });
  });
});

describe("runVerifiers (one process for many)", () => {
  test("results come back in order, and a verifier that kills its process or hangs costs only itself", async () => {
    const runs = await runVerifiers(
      [
        job(COUNT_NEW_ROWS),
        job(codeVerifier("import os\nos._exit(3)")),
        job(codeVerifier("import time\nwhile True:\n    try:\n        time.sleep(5)\n    except BaseException:\n        pass")),
        job(codeVerifier(`import sqlite3\nsqlite3.connect = None\nreturn {"result": "others"}`)),
        job(COUNT_NEW_ROWS, { finalDbFile: initialDb }),
        job(COUNT_NEW_ROWS, { initialDbFile: path.join(dir, "missing.db") }),
      ],
      { timeoutMs: 700 },
    );
    assert.deepEqual(
      runs.map((run) => (run.ok ? (run.output as { result: string }).result : run.error.split("\n")[0])),
      [
        "complete",
        "the verifier's process exited with code 3 before returning",
        "timed out after 0.7 s",
        "others",
        // The module patch of the job before did not leak into this one.
        "others",
        `cannot copy database ${path.join(dir, "missing.db")} for the verifier: no such file`,
      ],
    );
  });

  test("an answer of many chunks comes back whole, characters split between chunks included; one past the cap stops the worker", async () => {
    // Two-byte and four-byte characters, a megabyte and more: the pipe hands it over in many chunks.
    const text = "é🙂".repeat(200_000);
    const long = await runVerifier(job(codeVerifier(`return {"result": "others", "text": "é🙂" * 200000}`)));
    assert.equal(long.ok, true, long.ok ? "" : long.error);
    assert.equal(long.ok && (long.output as { text: string }).text, text);
    const flood = await runVerifier(job(codeVerifier(`return {"result": "others", "text": "x" * (17 * 1024 * 1024)}`)));
    assert.equal(flood.ok, false);
    assert.match(flood.ok ? "" : flood.error, /answer longer than 16,777,216 bytes/);
    const after = await runVerifier(job(COUNT_NEW_ROWS));
    assert.equal(after.ok, true, "the next verifier runs");
  });
});
