import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { databasePairs } from "../testing/database-pair.ts";
import { diffDatabasesInThisProcess as diffDatabases } from "./sqlite-diff.ts";

const pairs = databasePairs();
const workDir = pairs.dir;
const databasePair = pairs.pair;
after(pairs.remove);

describe("diffDatabases", () => {
  test("reports inserted, deleted and updated rows matched by primary key", () => {
    const files = databasePair(
      `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, balance REAL);
       INSERT INTO users VALUES (1, 'Ann', 'ann@x.io', 10.5), (2, 'Bob', 'bob@x.io', 0), (3, 'Cy', NULL, 3);`,
      `UPDATE users SET email = 'ann@y.io', balance = 11 WHERE id = 1;
       DELETE FROM users WHERE id = 2;
       INSERT INTO users VALUES (4, 'Dee', 'dee@x.io', 1);
       UPDATE users SET name = 'Cy' WHERE id = 3;`,
    );
    const diff = diffDatabases(files.before, files.after);
    assert.deepEqual(Object.keys(diff.tables), ["users"]);
    assert.deepEqual(diff.tables.users, {
      inserted: [{ id: 4, name: "Dee", email: "dee@x.io", balance: 1 }],
      deleted: [{ id: 2, name: "Bob", email: "bob@x.io", balance: 0 }],
      updated: [
        {
          key: { id: 1 },
          before: { id: 1, name: "Ann", email: "ann@x.io", balance: 10.5 },
          after: { id: 1, name: "Ann", email: "ann@y.io", balance: 11 },
          changed: ["email", "balance"],
        },
      ],
    });
    assert.deepEqual(diff.schema, { addedTables: [], removedTables: [], changedTables: [] });
  });

  test("a NULL that becomes a value counts as a change", () => {
    const files = databasePair(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, NULL);",
      "UPDATE notes SET body = 'hello' WHERE id = 1;",
    );
    assert.deepEqual(diffDatabases(files.before, files.after).tables.notes?.updated[0]?.changed, ["body"]);
  });

  test("matches rows by a composite primary key, also in WITHOUT ROWID tables", () => {
    const files = databasePair(
      `CREATE TABLE enrollments (student INTEGER, course TEXT, grade TEXT, PRIMARY KEY (course, student));
       CREATE TABLE tags (item INTEGER, tag TEXT, weight INTEGER, PRIMARY KEY (item, tag)) WITHOUT ROWID;
       INSERT INTO enrollments VALUES (1, 'math', 'B'), (1, 'art', 'A'), (2, 'math', 'C');
       INSERT INTO tags VALUES (1, 'red', 1), (1, 'blue', 2), (2, 'red', 3);`,
      `UPDATE enrollments SET grade = 'A' WHERE student = 1 AND course = 'math';
       DELETE FROM enrollments WHERE student = 2;
       UPDATE tags SET weight = 9 WHERE item = 1 AND tag = 'blue';
       INSERT INTO tags VALUES (2, 'blue', 4);`,
    );
    const diff = diffDatabases(files.before, files.after);
    assert.deepEqual(diff.tables.enrollments?.updated.map((update) => update.key), [{ course: "math", student: 1 }]);
    assert.deepEqual(diff.tables.enrollments?.deleted, [{ student: 2, course: "math", grade: "C" }]);
    assert.deepEqual(diff.tables.enrollments?.inserted, []);
    assert.deepEqual(diff.tables.tags, {
      inserted: [{ item: 2, tag: "blue", weight: 4 }],
      deleted: [],
      updated: [{ key: { item: 1, tag: "blue" }, before: { item: 1, tag: "blue", weight: 2 }, after: { item: 1, tag: "blue", weight: 9 }, changed: ["weight"] }],
    });
  });

  test("a table without primary key is matched by rowid", () => {
    const files = databasePair(
      "CREATE TABLE log (message TEXT, level INTEGER); INSERT INTO log VALUES ('start', 1), ('work', 2), ('stop', 1);",
      // Deleting the first row keeps the highest rowid, so the new row gets a fresh one (4).
      "UPDATE log SET level = 3 WHERE message = 'work'; DELETE FROM log WHERE message = 'start'; INSERT INTO log VALUES ('again', 1);",
    );
    const diff = diffDatabases(files.before, files.after);
    assert.deepEqual(diff.tables.log?.updated, [
      { key: { rowid: 2 }, before: { message: "work", level: 2 }, after: { message: "work", level: 3 }, changed: ["level"] },
    ]);
    assert.deepEqual(diff.tables.log?.deleted, [{ message: "start", level: 1 }]);
    assert.deepEqual(diff.tables.log?.inserted, [{ message: "again", level: 1 }]);
  });

  test("reports added, removed and changed tables with their rows", () => {
    const files = databasePair(
      `CREATE TABLE keep (id INTEGER PRIMARY KEY, a TEXT); INSERT INTO keep VALUES (1, 'x');
       CREATE TABLE gone (id INTEGER PRIMARY KEY); INSERT INTO gone VALUES (7);`,
      `ALTER TABLE keep ADD COLUMN b TEXT DEFAULT 'new';
       DROP TABLE gone;
       CREATE TABLE fresh (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO fresh VALUES (1, 'hi');
       CREATE TABLE empty_new (id INTEGER PRIMARY KEY);`,
    );
    const diff = diffDatabases(files.before, files.after);
    assert.deepEqual(diff.schema, { addedTables: ["empty_new", "fresh"], removedTables: ["gone"], changedTables: ["keep"] });
    assert.deepEqual(diff.tables.fresh?.inserted, [{ id: 1, v: "hi" }]);
    assert.deepEqual(diff.tables.gone?.deleted, [{ id: 7 }]);
    // The added column is not compared (it has no "before"), so the kept row is unchanged.
    assert.equal(diff.tables.keep, undefined);
    assert.equal(diff.tables.empty_new, undefined);
  });

  test("identical databases give no tables and no schema changes", () => {
    const files = databasePair("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB); INSERT INTO t VALUES (1, x'00ff'), (2, NULL);", "");
    assert.deepEqual(diffDatabases(files.before, files.after), { tables: {}, schema: { addedTables: [], removedTables: [], changedTables: [] } });
  });

  test("opens both files read-only", () => {
    const files = databasePair("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);", "INSERT INTO t VALUES (2);");
    const statsBefore = [fs.statSync(files.before).mtimeMs, fs.statSync(files.after).mtimeMs];
    diffDatabases(files.before, files.after);
    assert.deepEqual([fs.statSync(files.before).mtimeMs, fs.statSync(files.after).mtimeMs], statsBefore);
    assert.deepEqual(fs.readdirSync(workDir).filter((file) => /-(journal|wal|shm)$/.test(file)), []);
  });

  test("a missing file is named in the error", () => {
    const files = databasePair("CREATE TABLE t (id INTEGER PRIMARY KEY);", "");
    assert.throws(() => diffDatabases(files.before, path.join(workDir, "missing-after.db")), /missing-after\.db/);
    assert.throws(() => diffDatabases(path.join(workDir, "missing-before.db"), files.after), /missing-before\.db.*unable to open/);
  });
});
