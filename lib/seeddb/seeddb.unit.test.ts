import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { browseTable, UnknownIdentifierError } from "./browse.ts";
import { introspectSeedDb } from "./introspect.ts";
import { brokenTables, seedFailures } from "./problems.ts";

let dir: string;
let file: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "seeddb-test-"));
  file = path.join(dir, "seed.db");
  const db = new Database(file);
  db.pragma("foreign_keys = OFF");
  db.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, plan TEXT DEFAULT 'free');
    CREATE TABLE "odd ""name""" (a TEXT, b BLOB);
    CREATE TABLE orders (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users,
      note TEXT,
      FOREIGN KEY (note) REFERENCES "odd ""name"""(a)
    );
    CREATE TABLE tags (order_id INTEGER, tag TEXT, PRIMARY KEY (order_id, tag), FOREIGN KEY (order_id) REFERENCES orders(id)) WITHOUT ROWID;
    CREATE INDEX idx_orders_user ON orders(user_id, note);
  `);
  const insertUser = db.prepare("INSERT INTO users (id, email, plan) VALUES (?, ?, ?)");
  for (let i = 1; i <= 25; i++) insertUser.run(i, `user${i}@example.com`, i % 5 === 0 ? null : i % 2 ? "pro" : "free");
  insertUser.run(26, "percent%_under@example.com", "pro");
  db.prepare(`INSERT INTO "odd ""name""" VALUES (?, ?)`).run("x", Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  db.prepare("INSERT INTO orders VALUES (?, ?, ?)").run(1, 3, "x");
  db.prepare("INSERT INTO tags VALUES (?, ?)").run(1, "b");
  db.prepare("INSERT INTO tags VALUES (?, ?)").run(1, "a");
  db.close();
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("introspectSeedDb", () => {
  test("lists tables in creation order with columns, keys, indexes and row counts", () => {
    const tables = introspectSeedDb(file);
    assert.deepEqual(
      tables.map((t) => [t.name, t.rowCount]),
      [["users", 26], ['odd "name"', 1], ["orders", 1], ["tags", 2]],
    );
    const users = tables[0]!;
    assert.deepEqual(users.columns, [
      { name: "id", type: "INTEGER", notNull: false, defaultValue: null, primaryKey: 1 },
      { name: "email", type: "TEXT", notNull: true, defaultValue: null, primaryKey: 0 },
      { name: "plan", type: "TEXT", notNull: false, defaultValue: "'free'", primaryKey: 0 },
    ]);
    assert.deepEqual(users.indexes.map((i) => [i.unique, i.columns, i.origin]), [[true, ["email"], "u"]]);
  });

  test("foreign keys name referenced columns, resolving implicit primary-key references", () => {
    const orders = introspectSeedDb(file).find((t) => t.name === "orders")!;
    assert.deepEqual(
      orders.foreignKeys.map((k) => [k.columns, k.table, k.referencedColumns]),
      [
        [["user_id"], "users", ["id"]],
        [["note"], 'odd "name"', ["a"]],
      ],
    );
    assert.deepEqual(orders.indexes.find((i) => i.name === "idx_orders_user")?.columns, ["user_id", "note"]);
    const tags = introspectSeedDb(file).find((t) => t.name === "tags")!;
    assert.deepEqual(tags.columns.map((c) => c.primaryKey), [1, 2]);
  });

  test("a missing file is a not-found error naming the path", () => {
    assert.throws(() => introspectSeedDb(path.join(dir, "nope.db")), (error: Error) => error.name === "NotFoundError" && error.message.includes("nope.db"));
  });

  test("opens read-only: the file is unchanged", () => {
    const before = fs.readFileSync(file);
    introspectSeedDb(file);
    browseTable(file, { table: "users", page: 1, pageSize: 5 });
    assert.deepEqual(fs.readFileSync(file), before);
  });
});

describe("browseTable", () => {
  test("pages in rowid order and reports the total", () => {
    const page = browseTable(file, { table: "users", page: 3, pageSize: 10 });
    assert.deepEqual(page.columns, ["id", "email", "plan"]);
    assert.equal(page.total, 26);
    assert.deepEqual(page.rows.map((r) => r[0]), [21, 22, 23, 24, 25, 26]);
  });

  test("sorts by a column in either direction, NULLs as SQLite orders them", () => {
    const desc = browseTable(file, { table: "users", page: 1, pageSize: 3, sort: "email", dir: "desc" });
    assert.deepEqual(desc.rows.map((r) => r[1]), ["user9@example.com", "user8@example.com", "user7@example.com"]);
    const asc = browseTable(file, { table: "users", page: 1, pageSize: 2, sort: "plan", dir: "asc" });
    assert.deepEqual(asc.rows.map((r) => r[2]), [null, null]);
  });

  test("sorts by columns whose names the page query also uses as aliases (c0, r)", () => {
    const aliased = path.join(dir, "aliased.db");
    const db = new Database(aliased);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, c0 INTEGER, r TEXT); INSERT INTO t VALUES (1, 30, 'b'), (2, 10, 'c'), (3, 20, 'a');");
    db.close();
    assert.deepEqual(browseTable(aliased, { table: "t", page: 1, pageSize: 3, sort: "c0" }).rows.map((row) => row[0]), [2, 3, 1]);
    assert.deepEqual(browseTable(aliased, { table: "t", page: 1, pageSize: 3, sort: "r", dir: "desc" }).rows.map((row) => row[0]), [2, 1, 3]);
    assert.deepEqual(browseTable(aliased, { table: "t", page: 1, pageSize: 3 }).rowids, [1, 2, 3]);
  });

  test("global filter matches any column case-insensitively and treats % and _ literally", () => {
    const byText = browseTable(file, { table: "users", page: 1, pageSize: 50, filter: "USER2" });
    assert.deepEqual(byText.rows.map((r) => r[0]), [2, 20, 21, 22, 23, 24, 25]);
    assert.equal(byText.total, 7);
    const literal = browseTable(file, { table: "users", page: 1, pageSize: 50, filter: "%_" });
    assert.deepEqual(literal.rows.map((r) => r[0]), [26]);
    const byNumber = browseTable(file, { table: "users", page: 1, pageSize: 50, filter: "17" });
    assert.deepEqual(byNumber.rows.map((r) => r[0]), [17]);
  });

  test("column filters combine with each other and with the global filter", () => {
    const page = browseTable(file, { table: "users", page: 1, pageSize: 50, filter: "example", columnFilters: { plan: "pro", id: "1" } });
    assert.deepEqual(page.rows.map((r) => r[0]), [1, 11, 13, 17, 19, 21]);
    assert.equal(page.total, 6);
  });

  test("quoted table names and BLOB cells", () => {
    const page = browseTable(file, { table: 'odd "name"', page: 1, pageSize: 10 });
    assert.deepEqual(page.rows, [["x", { blob: 4, hex: "deadbeef" }]]);
    assert.equal(browseTable(file, { table: 'odd "name"', page: 1, pageSize: 10, filter: "DEADBE" }).total, 1);
  });

  test("WITHOUT ROWID tables page in primary-key order", () => {
    const page = browseTable(file, { table: "tags", page: 1, pageSize: 10 });
    assert.deepEqual(page.rows, [[1, "a"], [1, "b"]]);
  });

  test("unknown identifiers are rejected by name, never interpolated", () => {
    assert.throws(() => browseTable(file, { table: "users; DROP TABLE users", page: 1, pageSize: 10 }), {
      name: "UnknownIdentifierError",
      message: 'unknown table "users; DROP TABLE users"',
    });
    assert.throws(() => browseTable(file, { table: "users", page: 1, pageSize: 10, sort: 'id" DESC --' }), UnknownIdentifierError);
    assert.throws(() => browseTable(file, { table: "users", page: 1, pageSize: 10, columnFilters: { nope: "x" } }), /unknown filter column "nope" in table "users"/);
  });

  test("page size is capped", () => {
    assert.throws(() => browseTable(file, { table: "users", page: 1, pageSize: 201 }), /pageSize must be an integer from 1 to 200/);
    assert.throws(() => browseTable(file, { table: "users", page: 0, pageSize: 10 }), /page must be a positive integer/);
  });
});

describe("problems", () => {
  const declared = [
    { name: "users", ddl: "CREATE TABLE users (id INTEGER PRIMARY KEY)", indexes: [] },
    { name: "payments", ddl: "CREATE TABLE payments (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(", indexes: [] },
  ];

  test("brokenTables: declared but absent tables carry their DDL and SQLite's message", () => {
    const broken = brokenTables(declared, ["users"], [
      { stage: "schema", where: "gen_db.jsonl:1 table payments", message: 'incomplete input', location: { tab: "schema", table: "payments" } },
      { stage: "seed", where: "x", message: "unrelated", location: { tab: "data", table: "payments" } },
    ]);
    assert.deepEqual(broken, [{ name: "payments", ddl: declared[1]!.ddl, error: "incomplete input" }]);
  });

  test("seedFailures: picks the failed INSERT's SQL by its index within the table", () => {
    const seed = {
      scenario: "x",
      tables_count: 1,
      inserts_count: 2,
      sample_data: { tables: [{ table_name: "users", insert_statements: ["INSERT INTO users VALUES (1)", "INSERT INTO users VALUES (1)"] }] },
    };
    const failures = seedFailures(seed, [
      { stage: "seed", where: "gen_sample.jsonl:1 users #1", message: "UNIQUE constraint failed: users.id", location: { tab: "data", table: "users", statement: 1 } },
      { stage: "schema", where: "y", message: "other", location: { tab: "schema", table: "users" } },
    ]);
    assert.deepEqual(failures, [
      { table: "users", statement: 1, sql: "INSERT INTO users VALUES (1)", where: "gen_sample.jsonl:1 users #1", message: "UNIQUE constraint failed: users.id" },
    ]);
  });
});
