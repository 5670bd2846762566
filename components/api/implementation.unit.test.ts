import assert from "node:assert/strict";
import { test } from "node:test";
import { implementationOf, routesOutsideSpec } from "./implementation";

const endpoint = (operation_id: string, method: string, path: string) => ({ operation_id, method, path });
const routes = [
  { method: "GET", path: "/api/items/{id}", operationId: "get_item", line: 10 },
  { method: "POST", path: "/api/items", operationId: "make_item", line: 20 },
  { method: "DELETE", path: "/api/debug", operationId: "debug_reset", line: 30 },
];

test("an endpoint is implemented when its operation id has a route", () => {
  assert.deepEqual(implementationOf(endpoint("get_item", "GET", "/api/items/{item_id}"), routes), { kind: "implemented", line: 10 });
});

test("same method and path under another id is reported with that id", () => {
  assert.deepEqual(implementationOf(endpoint("create_item", "post", "/api/items/"), routes), { kind: "other-id", line: 20, operationId: "make_item" });
});

test("neither id nor route: missing; code routes outside the spec are listed", () => {
  assert.deepEqual(implementationOf(endpoint("list_items", "GET", "/api/items"), routes), { kind: "missing" });
  const spec = [endpoint("get_item", "GET", "/x"), endpoint("create_item", "POST", "/api/items")];
  assert.deepEqual(routesOutsideSpec(spec, routes).map((r) => r.operationId), ["debug_reset"]);
});

test("a route after another with the same method and path is shadowed by it", () => {
  const twice = [...routes, { method: "POST", path: "/api/items", operationId: "make_item_again", line: 40 }];
  assert.deepEqual(implementationOf(endpoint("make_item_again", "POST", "/api/items"), twice), { kind: "shadowed", line: 40, shadowedBy: 20 });
  assert.deepEqual(implementationOf(endpoint("make_item", "POST", "/api/items"), twice), { kind: "implemented", line: 20 });
});
