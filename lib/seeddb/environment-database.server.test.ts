import assert from "node:assert/strict";
import { before, test } from "node:test";
import { starterLibraryDir } from "../config/paths.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-seeddb-env-");
const { importFolder } = await import("../library/import.ts");
const { browseEnvironmentTable, describeEnvironmentDatabase } = await import("./environment-database.ts");

// library/README.md: C has ticket_notes cut off mid-DDL (4 INSERTs then fail); B has one failed INSERT.
const BIKES = "spoke_chain_bike_repair_tickets";
const GARDEN = "sprout_lane_community_garden_plots";

before(async () => {
  await importFolder(starterLibraryDir());
});

test("a cut-off CREATE TABLE is a broken table with its DDL and SQLite's message; its INSERTs are listed", async () => {
  const db = await describeEnvironmentDatabase(BIKES);
  assert.deepEqual(db.tables.map((t) => t.name).sort(), ["bikes", "customers", "parts", "repair_tickets", "staff", "ticket_parts"]);
  assert.equal(db.broken.length, 1);
  assert.equal(db.broken[0]!.name, "ticket_notes");
  assert.match(db.broken[0]!.ddl, /REFERENCES sta$/);
  assert.match(db.broken[0]!.error, /incomplete input/);
  assert.deepEqual(db.seedFailures.map((f) => [f.table, f.statement]), [["ticket_notes", 0], ["ticket_notes", 1], ["ticket_notes", 2], ["ticket_notes", 3]]);
  assert.ok(db.seedFailures.every((f) => f.sql?.startsWith("INSERT INTO ticket_notes") && /no such table: ticket_notes/.test(f.message)));
  const bikes = db.tables.find((t) => t.name === "bikes")!;
  assert.deepEqual(bikes.foreignKeys.map((k) => [k.columns, k.table, k.referencedColumns]), [[["customer_id"], "customers", ["id"]]]);
});

test("a failed INSERT carries the statement that failed, and the table holds the other rows", async () => {
  const db = await describeEnvironmentDatabase(GARDEN);
  assert.equal(db.broken.length, 0);
  assert.deepEqual(db.seedFailures.map((f) => [f.table, f.statement]), [["tool_reservations", 3]]);
  assert.match(db.seedFailures[0]!.message, /NOT NULL constraint failed: tool_reservations.reserved_for/);
  const rows = await browseEnvironmentTable(GARDEN, { table: "tool_reservations", page: 1, pageSize: 50 });
  assert.equal(rows.total, db.tables.find((t) => t.name === "tool_reservations")!.rowCount);
  // The failed statement is the one for row id 4 (library/README.md, defect B1).
  const ids = rows.rows.map((row) => row[rows.columns.indexOf("id")]);
  assert.ok(ids.length > 0 && !ids.includes(4), `row 4 must be missing, got ids ${ids.join(", ")}`);
});

test("an unknown environment is a not-found error naming it", async () => {
  await assert.rejects(describeEnvironmentDatabase("no_such_env"), { name: "NotFoundError", message: 'no environment named "no_such_env" in the studio' });
});
