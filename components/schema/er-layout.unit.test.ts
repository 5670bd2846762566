import assert from "node:assert/strict";
import { test } from "node:test";
import { erInputs } from "./er-inputs";
import { layoutEr } from "./er-layout";

const column = (name: string, primaryKey = false) => ({ name, type: "INTEGER", notNull: false, defaultValue: null, primaryKey: primaryKey ? 1 : 0 });
const fk = (col: string, table: string, to: string | null = "id") => ({ columns: [col], table, referencedColumns: [to], onDelete: "NO ACTION", onUpdate: "NO ACTION" });

const tables = [
  { name: "orders", columns: [column("id", true), column("user_id"), column("shop_id"), column("a"), column("b")], foreignKeys: [fk("user_id", "users"), fk("shop_id", "shops")], indexes: [], rowCount: 3 },
  { name: "users", columns: [column("id", true), column("email")], foreignKeys: [], indexes: [], rowCount: 2 },
  { name: "shops", columns: [column("id", true), column("owner_id")], foreignKeys: [fk("owner_id", "users")], indexes: [], rowCount: 1 },
  { name: "people", columns: [column("id", true), column("manager_id")], foreignKeys: [fk("manager_id", "people")], indexes: [], rowCount: 0 },
];
const broken = [
  { name: "refunds", ddl: 'CREATE TABLE refunds (\n  id INTEGER PRIMARY KEY,\n  order_id INTEGER REFERENCES orders(id),\n  FOREIGN KEY ("by_user") REFERENCES users(id', error: "incomplete input" },
];

test("tables are layered left to right by foreign-key depth", () => {
  const layout = layoutEr(erInputs(tables, broken));
  const layerOf = Object.fromEntries(layout.boxes.map((b) => [b.table.name, b.layer]));
  assert.deepEqual(layerOf, { users: 0, people: 0, shops: 1, orders: 2, refunds: 3 });
  const x = Object.fromEntries(layout.boxes.map((b) => [b.table.name, b.x]));
  assert.ok(x.users! < x.shops! && x.shops! < x.orders! && x.orders! < x.refunds!);
  for (const box of layout.boxes) assert.ok(box.x + box.width <= layout.width && box.y + box.height <= layout.height, `${box.table.name} inside the canvas`);
});

test("one edge per foreign-key column, including self references and broken tables' references", () => {
  const layout = layoutEr(erInputs(tables, broken));
  assert.deepEqual(
    layout.edges.map((e) => `${e.from}.${e.fromColumn}->${e.to}.${e.toColumn}`).sort(),
    ["orders.shop_id->shops.id", "orders.user_id->users.id", "people.manager_id->people.id", "refunds.by_user->users.id", "refunds.order_id->orders.id", "shops.owner_id->users.id"],
  );
  assert.ok(layout.edges.every((e) => !e.dangling && e.path.startsWith("M ")));
});

test("large tables show only key columns; broken tables carry their error", () => {
  const inputs = erInputs(tables, broken);
  assert.deepEqual(inputs.find((t) => t.name === "orders")!.columns.map((c) => c.name), ["id", "user_id", "shop_id"]);
  assert.deepEqual(inputs.find((t) => t.name === "users")!.columns.map((c) => c.name), ["id", "email"]);
  assert.equal(inputs.find((t) => t.name === "refunds")!.broken?.error, "incomplete input");
});

test("a reference to a table that does not exist is drawn dangling; cycles terminate", () => {
  const layout = layoutEr([
    { name: "a", rowCount: 0, columns: [], references: [{ column: "b_id", table: "b", referencedColumn: "id" }, { column: "x", table: "ghost", referencedColumn: null }] },
    { name: "b", rowCount: 0, columns: [], references: [{ column: "a_id", table: "a", referencedColumn: "id" }] },
  ]);
  assert.equal(layout.boxes.length, 2);
  assert.deepEqual(layout.edges.map((e) => `${e.from}->${e.to}${e.dangling ? " (dangling)" : ""}`).sort(), ["a->b", "a->ghost (dangling)", "b->a"]);
});
