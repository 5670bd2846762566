import assert from "node:assert/strict";
import { test } from "node:test";
import { erInputs } from "./er-inputs";
import { erGraph, erHandleId, erNodeId } from "./er-graph";

const column = (name: string, primaryKey = false) => ({ name, type: "INTEGER", notNull: false, defaultValue: null, primaryKey: primaryKey ? 1 : 0 });
const fk = (col: string, table: string, to: string | null = "id") => ({ columns: [col], table, referencedColumns: [to], onDelete: "NO ACTION", onUpdate: "NO ACTION" });

const tables = [
  { name: "orders", columns: [column("id", true), column("user_id"), column("shop_id"), column("a"), column("b")], foreignKeys: [fk("user_id", "users"), fk("shop_id", "shops")], indexes: [], rowCount: 3 },
  { name: "users", columns: [column("id", true), column("email")], foreignKeys: [], indexes: [], rowCount: 2 },
  { name: "shops", columns: [column("id", true), column("owner_id")], foreignKeys: [fk("owner_id", "Users")], indexes: [], rowCount: 1 },
  { name: "people", columns: [column("id", true), column("manager_id")], foreignKeys: [fk("manager_id", "people")], indexes: [], rowCount: 0 },
];
const broken = [
  { name: "refunds", ddl: 'CREATE TABLE refunds (\n  id INTEGER PRIMARY KEY,\n  order_id INTEGER REFERENCES orders(id),\n  FOREIGN KEY ("by_user") REFERENCES users(id', error: "incomplete input" },
];

test("a referenced table sits left of the tables that reference it, at every depth", () => {
  const graph = erGraph(erInputs(tables, broken));
  const x = Object.fromEntries(graph.nodes.map((node) => [node.id, node.position.x]));
  assert.ok(x[erNodeId("users")]! < x[erNodeId("shops")]!, "users left of shops");
  assert.ok(x[erNodeId("shops")]! < x[erNodeId("orders")]!, "shops left of orders");
  assert.ok(x[erNodeId("orders")]! < x[erNodeId("refunds")]!, "orders left of refunds (a broken table's references count)");
  for (const node of graph.nodes) {
    assert.ok(node.position.x >= 0 && node.position.y >= 0 && node.position.x + node.width! <= graph.width && node.position.y + node.height! <= graph.height, `${node.id} inside the graph`);
  }
});

test("one edge per foreign-key column, from the column's row to the referenced column's row, whatever the case of the names", () => {
  const graph = erGraph(erInputs(tables, broken));
  assert.deepEqual(
    graph.edges.map((edge) => `${edge.data!.from}.${edge.data!.fromColumn}->${edge.data!.to}.${edge.data!.toColumn}`).sort(),
    ["orders.shop_id->shops.id", "orders.user_id->users.id", "people.manager_id->people.id", "refunds.by_user->users.id", "refunds.order_id->orders.id", "shops.owner_id->users.id"],
  );
  const owner = graph.edges.find((edge) => edge.data!.fromColumn === "owner_id")!;
  assert.deepEqual([owner.source, owner.sourceHandle, owner.target, owner.targetHandle], [erNodeId("shops"), erHandleId("from", "owner_id"), erNodeId("users"), erHandleId("to", "id")]);
  assert.ok(graph.edges.every((edge) => !edge.data!.missing));
});

test("a node says what it is to a screen reader: rows or why it is broken, and its references", () => {
  const graph = erGraph(erInputs(tables, broken));
  const label = (name: string) => graph.nodes.find((node) => node.id === erNodeId(name))!.ariaLabel;
  assert.equal(label("shops"), "Table shops: 1 row; owner_id references Users");
  assert.match(label("refunds") ?? "", /^Table refunds: could not be created \(incomplete input\); by_user references users; order_id references orders$/);
});

test("a referenced table the database lacks is a node marked missing; a column not drawn is reached at the header; cycles lay out", () => {
  const graph = erGraph([
    { name: "a", rowCount: 0, columns: [], references: [{ column: "b_id", table: "b", referencedColumn: "id" }, { column: "x", table: "ghost", referencedColumn: null }] },
    { name: "b", rowCount: 0, columns: [], references: [{ column: "a_id", table: "a", referencedColumn: "id" }] },
  ]);
  assert.deepEqual(graph.nodes.map((node) => [node.id, node.data.kind]), [[erNodeId("a"), "table"], [erNodeId("b"), "table"], [erNodeId("ghost"), "missing"]]);
  assert.deepEqual(graph.edges.map((edge) => `${edge.data!.from}->${edge.data!.to}${edge.data!.missing ? " (missing)" : ""}`).sort(), ["a->b", "a->ghost (missing)", "b->a"]);
  assert.ok(graph.edges.every((edge) => edge.sourceHandle === erHandleId("from", null) && edge.targetHandle === erHandleId("to", null)));
});
