import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { buildSeedDatabase } from "./seed-db.ts";
import { tempDir, tinyShopRecords } from "../testing/awm-fixture.ts";
import type { SchemaRecord, SeedRecord } from "./types.ts";

const dir = tempDir("awm-seed-test-");
let counter = 0;
const newDbFile = () => path.join(dir, `env-${++counter}`, "seed.db");

function rows(file: string, sql: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

test("builds the schema and seed rows into a fresh file, leaving no temporary file", async () => {
  const env = tinyShopRecords();
  const file = newDbFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, "left over from a crash");
  const result = await buildSeedDatabase(file, env.schema, env.seed);
  assert.deepEqual(result.tablesCreated, ["users", "products"]);
  assert.deepEqual(result.ddl.map((d) => [d.table, d.kind, d.index, d.ok]), [["users", "table", 0, true], ["products", "table", 1, true], ["products", "index", 0, true]]);
  assert.equal(result.seedRows, 3);
  assert.equal(result.seedFailures, 0);
  assert.deepEqual(rows(file, "SELECT id, name, price FROM products ORDER BY id"), [{ id: 1, name: "Mug", price: 8.5 }, { id: 2, name: "Plate", price: 12 }]);
  assert.equal(fs.existsSync(`${file}.tmp`), false);
});

test("a cut-off CREATE TABLE is reported with SQLite's message and the rest is still built", async () => {
  const env = tinyShopRecords();
  const schema: SchemaRecord = structuredClone(env.schema);
  schema.db_schema.tables[1]!.ddl = "CREATE TABLE products (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL, na";
  const file = newDbFile();
  const result = await buildSeedDatabase(file, schema, env.seed);
  const products = result.ddl.find((d) => d.table === "products" && d.kind === "table")!;
  assert.equal(products.ok, false);
  assert.equal(products.error, "incomplete input");
  const index = result.ddl.find((d) => d.kind === "index")!;
  assert.equal(index.ok, false);
  assert.match(index.error!, /no such table/);
  assert.deepEqual(result.tablesCreated, ["users"]);
  assert.deepEqual(result.inserts.map((i) => [i.table, i.index, i.ok]), [["users", 0, true], ["products", 0, false], ["products", 1, false]]);
  assert.equal(result.inserts[1]!.error, "no such table: products");
  assert.equal(result.seedFailures, 2);
  assert.equal(result.seedRows, 1);
  assert.deepEqual(rows(file, "SELECT name FROM users"), [{ name: "Ada" }]);
});

test("a failing INSERT is recorded with its table, index and SQLite's message; the others still apply", async () => {
  const env = tinyShopRecords();
  const seed: SeedRecord = structuredClone(env.seed);
  seed.sample_data.tables[1]!.insert_statements.splice(1, 0, "INSERT INTO products (id, owner_id, name, price) VALUES (3, 1, 'it's broken', 1.0);");
  const file = newDbFile();
  const result = await buildSeedDatabase(file, env.schema, seed);
  const failed = result.inserts.filter((insert) => !insert.ok);
  assert.deepEqual(failed.map((f) => [f.table, f.index, f.error]), [["products", 1, 'near "s": syntax error']]);
  assert.equal(result.seedFailures, 1);
  assert.equal(result.seedRows, 3);
  assert.deepEqual(rows(file, "SELECT id FROM products ORDER BY id"), [{ id: 1 }, { id: 2 }]);
});

test("an INSERT string applies wholly or not at all; a DDL string keeps what ran before its error", async () => {
  const env = tinyShopRecords();
  const schema: SchemaRecord = structuredClone(env.schema);
  schema.db_schema.tables[0]!.ddl = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n```";
  const seed: SeedRecord = structuredClone(env.seed);
  seed.sample_data.tables[0]!.insert_statements = [
    "INSERT INTO users (id, name) VALUES (1, 'Ann'); INSERT INTO users (id, name) VALUES (1, 'Again');",
    "INSERT INTO users (id, name) VALUES (2, 'Bob'); INSERT INTO users (id, name) VALUES (3, 'Cy');",
  ];
  const file = newDbFile();
  const result = await buildSeedDatabase(file, schema, seed);
  const users = result.ddl[0]!;
  assert.equal(users.ok, false);
  assert.match(users.error!, /unrecognized token/);
  assert.ok(result.tablesCreated.includes("users"));
  assert.deepEqual(result.inserts.slice(0, 2).map((i) => i.ok), [false, true]);
  assert.match(result.inserts[0]!.error!, /UNIQUE constraint failed: users.id/);
  assert.deepEqual(rows(file, "SELECT id FROM users ORDER BY id"), [{ id: 2 }, { id: 3 }]);
});

test("foreign keys are not enforced while seeding, as in AWM", async () => {
  const env = tinyShopRecords();
  const seed: SeedRecord = structuredClone(env.seed);
  seed.sample_data.tables[1]!.insert_statements.push("INSERT INTO products (id, owner_id, name, price) VALUES (9, 42, 'Orphan', 1.0);");
  const result = await buildSeedDatabase(newDbFile(), env.schema, seed);
  assert.equal(result.seedFailures, 0);
  assert.equal(result.seedRows, 4);
});

test("a string that ends the transaction itself is executed honestly and later statements still run", async () => {
  const env = tinyShopRecords();
  const seed: SeedRecord = structuredClone(env.seed);
  seed.sample_data.tables[0]!.insert_statements.push("COMMIT;", "INSERT INTO users (id, name) VALUES (5, 'Eve');", "ROLLBACK;", "INSERT INTO users (id, name) VALUES (6, 'Fay');");
  const file = newDbFile();
  const result = await buildSeedDatabase(file, env.schema, seed);
  assert.equal(result.seedFailures, 0);
  // The data's own ROLLBACK undid Eve; seedRows counts what is really in the database.
  assert.deepEqual(rows(file, "SELECT id FROM users ORDER BY id"), [{ id: 1 }, { id: 6 }]);
  assert.equal(result.seedRows, 4);
});

test("without schema or seed the database is still created, and empty", async () => {
  const file = newDbFile();
  const result = await buildSeedDatabase(file, undefined, undefined);
  assert.deepEqual(result, { ddl: [], inserts: [], seedRows: 0, seedFailures: 0, tablesCreated: [] });
  assert.ok(fs.existsSync(file));
});

test("statements that would touch files outside the database are refused, not run", async () => {
  const dir = tempDir();
  const outside = path.join(dir, "outside.db");
  const result = await buildSeedDatabase(
    path.join(dir, "seed.db"),
    { scenario: "x", db_path: "", db_schema: { tables: [{ name: "t", ddl: "CREATE TABLE t (v TEXT);", indexes: [] }] } },
    {
      scenario: "x",
      tables_count: 1,
      inserts_count: 3,
      sample_data: {
        tables: [{
          table_name: "t",
          insert_statements: [
            `ATTACH DATABASE '${outside}' AS evil;`,
            `INSERT INTO t (v) VALUES ('vacuum into is only text here');`,
            `VACUUM INTO '${outside}';`,
          ],
        }],
      },
    },
  );
  assert.equal(fs.existsSync(outside), false);
  assert.deepEqual(result.inserts.map((insert) => insert.ok), [false, true, false]);
  assert.match(result.inserts[0]?.error ?? "", /ATTACH or VACUUM is refused/);
  assert.match(result.inserts[2]?.error ?? "", /VACUUM/);
});
