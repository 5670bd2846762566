import assert from "node:assert/strict";
import { test } from "node:test";
import { splitStatements, tableFromSql, tableSql } from "./schema-sql.ts";

const bikes = {
  name: "bikes",
  ddl: "CREATE TABLE bikes (\n  id INTEGER PRIMARY KEY,\n  note TEXT DEFAULT 'a;b'\n);",
  indexes: ["CREATE INDEX idx_bikes_note ON bikes(note);", "CREATE UNIQUE INDEX idx_bikes_id ON bikes(id);"],
};

test("a table is SQL text, statements on their own lines, no \\n escapes, and reads back unchanged", () => {
  const text = tableSql(bikes);
  assert.equal(
    text,
    "CREATE TABLE bikes (\n  id INTEGER PRIMARY KEY,\n  note TEXT DEFAULT 'a;b'\n);\n\n-- indexes\nCREATE INDEX idx_bikes_note ON bikes(note);\nCREATE UNIQUE INDEX idx_bikes_id ON bikes(id);\n",
  );
  assert.deepEqual(tableFromSql("bikes", text), { table: bikes });
  assert.deepEqual(tableFromSql("empty", tableSql({ name: "t", ddl: "CREATE TABLE t (id INTEGER);", indexes: [] })), { table: { name: "t", ddl: "CREATE TABLE t (id INTEGER);", indexes: [] } });
});

test("a cut-off CREATE TABLE opens as it is and stays apart from its indexes", () => {
  const broken = { name: "ticket_notes", ddl: "CREATE TABLE ticket_notes (\n  id INTEGER PRIMARY KEY,\n  body TEXT", indexes: ["CREATE INDEX idx_notes ON ticket_notes(id);"] };
  assert.deepEqual(tableFromSql("ticket_notes", tableSql(broken)), { table: broken });
  const fixed = tableSql(broken).replace("body TEXT", "body TEXT\n);");
  assert.deepEqual(tableFromSql("ticket_notes", fixed), { table: { ...broken, ddl: "CREATE TABLE ticket_notes (\n  id INTEGER PRIMARY KEY,\n  body TEXT\n);" } });
});

test("without the marker the first statement is the table; renaming it renames the table; other statements are refused", () => {
  assert.deepEqual(tableFromSql("a", "CREATE TABLE b (id INTEGER); CREATE INDEX i ON b(id);"), { table: { name: "b", ddl: "CREATE TABLE b (id INTEGER);", indexes: ["CREATE INDEX i ON b(id);"] } });
  assert.match((tableFromSql("a", "INSERT INTO a VALUES (1);") as { error: string }).error, /must start with its CREATE TABLE/);
  assert.match((tableFromSql("a", "CREATE TABLE a (id INTEGER);\n-- indexes\nDROP TABLE a;") as { error: string }).error, /only CREATE INDEX/);
});

test("statements split outside quotes and comments", () => {
  assert.deepEqual(splitStatements("SELECT ';'; -- a; comment\nSELECT \"x;y\"; /* ; */ SELECT 1"), ["SELECT ';';", "-- a; comment\nSELECT \"x;y\";", "/* ; */ SELECT 1"]);
});
