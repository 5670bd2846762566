import assert from "node:assert/strict";
import { test } from "node:test";
import type { Tool } from "../runtime/tool-catalog.ts";
import { markShadowedTools } from "./shadowed-tools.ts";

const CODE = `from fastapi import FastAPI
app = FastAPI()

@app.post("/api/orders", operation_id="create_order")
def create_order():
    return {}

@app.get("/api/orders", operation_id="list_orders")
def list_orders():
    return []

@app.post(
    "/api/orders",
    operation_id="create_bulk_order",
)
def create_bulk_order():
    return {}
`;

function tool(name: string, method: string, path: string): Tool {
  return {
    name,
    description: "",
    inputSchema: { type: "object", properties: {}, required: [] },
    method,
    path,
    changesState: method !== "GET",
    argumentLocations: {},
    takesJsonBody: false,
  };
}

test("a tool whose method and path an earlier handler also declares is marked shadowed by it", () => {
  // FastAPI's OpenAPI keeps the later of two operations on one route: the catalog shows create_bulk_order.
  const marked = markShadowedTools([tool("list_orders", "GET", "/api/orders"), tool("create_bulk_order", "POST", "/api/orders")], CODE);
  assert.deepEqual(
    marked.map((entry) => ({ name: entry.name, shadowedBy: entry.shadowedBy })),
    [
      { name: "list_orders", shadowedBy: undefined },
      { name: "create_bulk_order", shadowedBy: "create_order" },
    ],
  );
  assert.equal(
    marked[1]?.warning,
    "POST /api/orders is declared 2 times: requests reach create_order's handler (line 4), not create_bulk_order's (line 12)",
  );
});

test("the handler that does answer its route is not marked", () => {
  const [first] = markShadowedTools([tool("create_order", "POST", "/api/orders")], CODE);
  assert.equal(first?.shadowedBy, undefined);
  assert.equal(first?.warning, undefined);
});
