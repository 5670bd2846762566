import assert from "node:assert/strict";
import { test } from "node:test";
import { compareLiveSchema, MAX_LIVE_SCHEMA_ISSUES, type TableShape } from "./live-schema.ts";

const column = (name: string, type: string, notNull = false, primaryKey = 0) => ({ name, type, notNull, primaryKey });
const users: TableShape = { name: "users", columns: [column("id", "INTEGER", false, 1), column("name", "TEXT", true)] };
const code = ["class Note(Base):", '    __tablename__ = "notes"', "class Log(Base):", "    __tablename__ = 'audit_log'"].join("\n");

test("identical schemas give no issue", () => {
  assert.deepEqual(compareLiveSchema({ seed: [users], live: [users], declared: ["users"], code }), []);
});

test("a table broken in the schema that the code creates at start-up is reported with the code's columns, at the schema table", () => {
  const notes: TableShape = { name: "notes", columns: [column("id", "INTEGER", false, 1), column("user_id", "INTEGER", true), column("body", "TEXT", true)] };
  const [found, ...rest] = compareLiveSchema({ seed: [users], live: [users, notes], declared: ["users", "Notes"], code });
  assert.deepEqual(rest, []);
  assert.deepEqual(found, {
    stage: "schema",
    severity: "warning",
    where: "running instance after start-up, table notes",
    message: "notes: broken in the schema, created by the code at start-up with columns id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, body TEXT NOT NULL",
    location: { tab: "schema", table: "notes" },
  });
});

test("a table only the code declares, one whose columns differ and one that is gone are reported at the model's line", () => {
  const log: TableShape = { name: "audit_log", columns: [column("id", "INTEGER", false, 1)] };
  const changedUsers: TableShape = { name: "users", columns: [column("id", "INTEGER", false, 1), column("name", "VARCHAR(80)", true), column("email", "TEXT")] };
  const notes: TableShape = { name: "notes", columns: [column("id", "INTEGER")] };
  const issues = compareLiveSchema({ seed: [users, notes], live: [changedUsers, log], declared: ["users", "notes"], code });
  assert.deepEqual(
    issues.map(({ stage, message, location }) => [stage, message, location]),
    [
      ["code", "users: the running instance's columns differ from the seed database's: added email TEXT; changed name TEXT NOT NULL → name VARCHAR(80) NOT NULL", { tab: "code" }],
      ["code", "audit_log: not in the schema, created by the code at start-up with columns id INTEGER PRIMARY KEY", { tab: "code", line: 4 }],
      ["code", "notes: in the seed database but gone from the running instance (dropped at start-up)", { tab: "code", line: 2 }],
    ],
  );
});

test("code that creates endless tables with huge names gives a bounded list of clipped issues", () => {
  const live = Array.from({ length: 500 }, (_, i) => ({ name: `t${i}_${"x".repeat(10_000)}`, columns: [column("id", "INTEGER")] }));
  const issues = compareLiveSchema({ seed: [], live, declared: [], code: "" });
  assert.equal(issues.length, MAX_LIVE_SCHEMA_ISSUES + 1);
  assert.ok(issues.every((found) => found.message.length < 2_100 && found.where.length < 2_100));
  assert.equal(issues.at(-1)?.message, "450 more tables differ from the seed database (only the first 50 are listed)");
});
