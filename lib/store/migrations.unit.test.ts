import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { migrationsDir, projectRoot } from "../config/paths.ts";
import { applyMigrations } from "./migrate.ts";
import { readPrismaSchemaShape } from "./prisma-schema-shape.ts";

function migratedDatabase() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "awm-migrate-")), "studio.db");
  const applied = applyMigrations(file, migrationsDir());
  return { file, applied };
}

test("migrations and schema.prisma describe the same tables, columns, types, defaults and indexes", () => {
  const { file } = migratedDatabase();
  const db = new Database(file, { readonly: true });
  const models = readPrismaSchemaShape(fs.readFileSync(path.join(projectRoot(), "prisma", "schema.prisma"), "utf8"));
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`)
    .pluck()
    .all() as string[];
  assert.deepEqual([...tables].sort(), models.map((model) => model.name).sort());

  for (const model of models) {
    const columns = db.prepare(`PRAGMA table_info("${model.name}")`).all() as {
      name: string; type: string; notnull: number; dflt_value: string | null; pk: number;
    }[];
    assert.deepEqual(
      columns.map((column) => ({
        name: column.name,
        sqlType: column.type,
        notNull: column.notnull === 1,
        defaultSql: column.dflt_value ?? undefined,
        primaryKey: column.pk > 0,
      })),
      model.columns,
      `columns of ${model.name}`,
    );
    const indexes = (db.prepare(`PRAGMA index_list("${model.name}")`).all() as { name: string; unique: number; origin: string }[])
      .filter((index) => index.origin === "c")
      .map((index) => ({
        unique: index.unique === 1,
        columns: (db.prepare(`PRAGMA index_info("${index.name}")`).all() as { name: string }[]).map((column) => column.name),
      }));
    const expected = [
      ...model.uniques.map((columns) => ({ unique: true, columns })),
      ...model.indexes.map((columns) => ({ unique: false, columns })),
    ];
    const key = (index: { unique: boolean; columns: string[] }) => `${index.unique}:${index.columns.join(",")}`;
    assert.deepEqual(indexes.map(key).sort(), expected.map(key).sort(), `indexes of ${model.name}`);
  }
  db.close();
});

test("applying migrations twice is a no-op and records them where prisma migrate looks", () => {
  const { file, applied } = migratedDatabase();
  assert.ok(applied.length > 0);
  assert.deepEqual(applyMigrations(file, migrationsDir()), []);
  const db = new Database(file, { readonly: true });
  const names = db.prepare(`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`).pluck().all();
  assert.deepEqual(names, applied);
  db.close();
});

test("a failing migration names itself and leaves no half-applied tables", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-bad-migrations-"));
  fs.mkdirSync(path.join(folder, "0001_bad"));
  fs.writeFileSync(path.join(folder, "0001_bad", "migration.sql"), `CREATE TABLE a (id INTEGER);\nCREATE TABLE (broken;`);
  const file = path.join(folder, "studio.db");
  assert.throws(() => applyMigrations(file, folder), /migration 0001_bad .*failed: .*syntax error/);
  const db = new Database(file, { readonly: true });
  assert.equal(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'a'`).pluck().get(), 0);
  db.close();
});

test("0005 rebuilds Trajectory without losing its steps and verdicts, and a judge error no longer heads it", () => {
  const before = fs.mkdtempSync(path.join(os.tmpdir(), "awm-migrations-0004-"));
  for (const name of fs.readdirSync(migrationsDir()).filter((name) => name < "0005")) fs.cpSync(path.join(migrationsDir(), name), path.join(before, name), { recursive: true });
  const file = path.join(before, "studio.db");
  applyMigrations(file, before);
  const db = new Database(file);
  db.exec(`INSERT INTO Trajectory (id, environmentName, taskIdx, task, source, verdictClass, reward) VALUES ('t1', 'shop', 0, 'Rename it.', 'import', 'judge_error', NULL);
    INSERT INTO TrajectoryStep (id, trajectoryId, ordinal, role) VALUES ('s1', 't1', 0, 'assistant');
    INSERT INTO Verdict (id, trajectoryId, mode, classification, reward, createdAt) VALUES ('v1', 't1', 'code', 'complete', 1, '2026-01-01 10:00:00'), ('v2', 't1', 'sql', 'judge_error', 0, '2026-01-01 11:00:00');`);
  db.close();

  assert.deepEqual(applyMigrations(file, migrationsDir()).filter((name) => name.startsWith("0005")).length, 1);
  const migrated = new Database(file);
  assert.deepEqual(migrated.prepare("SELECT verdictClass, reward, taskIdx FROM Trajectory").get(), { verdictClass: "complete", reward: 1, taskIdx: 0 });
  assert.equal(migrated.prepare("SELECT count(*) FROM TrajectoryStep").pluck().get(), 1);
  assert.equal(migrated.prepare("SELECT count(*) FROM Verdict").pluck().get(), 2);
  migrated.prepare("INSERT INTO Trajectory (id, environmentName, taskIdx, task, source) VALUES ('t2', 'shop', NULL, 'Free text.', 'import')").run();
  migrated.pragma("foreign_keys = ON");
  migrated.prepare("DELETE FROM Trajectory WHERE id = 't1'").run();
  assert.equal(migrated.prepare("SELECT count(*) FROM Verdict").pluck().get(), 0, "the children still cascade from the rebuilt table");
  migrated.close();
});

test("a step inserted in any order raises its trajectory's stepCount to its ordinal + 1, never lowers it (0013's trigger)", () => {
  const { file } = migratedDatabase();
  const db = new Database(file);
  db.exec(`INSERT INTO Trajectory (id, environmentName, taskIdx, task, source) VALUES ('t1', 'shop', 0, 'Rename it.', 'agent'), ('t2', 'shop', 1, 'Add one.', 'agent');`);
  const stepCount = (id: string) => db.prepare("SELECT stepCount FROM Trajectory WHERE id = ?").pluck().get(id);
  const insert = db.prepare("INSERT INTO TrajectoryStep (id, trajectoryId, ordinal, role) VALUES (?, ?, ?, 'assistant')");
  insert.run("s0", "t1", 0);
  assert.equal(stepCount("t1"), 1);
  insert.run("s2", "t1", 2);
  insert.run("s1", "t1", 1);
  assert.equal(stepCount("t1"), 3);
  assert.equal(stepCount("t2"), 0, "another trajectory's count is left alone");
  db.close();
});
