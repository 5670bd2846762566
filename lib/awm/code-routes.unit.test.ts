import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFastApiRoutes } from "./code-routes.ts";

const code = `from fastapi import FastAPI
app = FastAPI(title="Shop")

@app.get("/api/items")
def list_items():
    return []

@app.post(
    # creates an item
    summary="Create, (really) an item",
    operation_id='create_item',
    path='/api/items',
    responses={409: {"description": "exists)"}},
)
async def create_item(body: dict):
    return body

@app.patch(r"/api/items/{item_id}", tags=["items"], operation_id="""update_item""")
@some_other_decorator(
    "x",
)
def update_item(item_id: int):
    return {}

@app.api_route("/api/ping", methods=["GET", 'HEAD'])
def ping():
    return "pong"

@app.delete(f"/api/{PREFIX}/items")
def not_static():
    pass

@helper.get("/not/an/app")
def helper_route():
    pass
`;

test("reads routes from one- and multi-line decorators, with keyword arguments in any order", () => {
  assert.deepEqual(parseFastApiRoutes(code), [
    { method: "GET", path: "/api/items", line: 4, operationId: "list_items", functionName: "list_items" },
    { method: "POST", path: "/api/items", line: 8, operationId: "create_item", functionName: "create_item" },
    { method: "PATCH", path: "/api/items/{item_id}", line: 18, operationId: "update_item", functionName: "update_item" },
    { method: "GET", path: "/api/ping", line: 25, operationId: "ping", functionName: "ping" },
    { method: "HEAD", path: "/api/ping", line: 25, operationId: "ping", functionName: "ping" },
  ]);
});

test("follows the name the FastAPI app is bound to, and skips cut-off decorators", () => {
  const routes = parseFastApiRoutes(`import fastapi\napi: fastapi.FastAPI = fastapi.FastAPI()\n@app.get("/ignored")\ndef a(): pass\n@api.put('/x/{id}', operation_id="put_x")\ndef b(id): pass\n@api.get("/cut",\n`);
  assert.deepEqual(routes, [{ method: "PUT", path: "/x/{id}", line: 5, operationId: "put_x", functionName: "b" }]);
});

test("decodes escapes in plain strings and joins adjacent literals", () => {
  const routes = parseFastApiRoutes(`app = FastAPI()\n@app.get("/a" '/b\\x41', operation_id="op\\"q")\ndef f(): pass\n`);
  assert.deepEqual(routes.map((r) => [r.path, r.operationId]), [["/a/bA", 'op"q']]);
});

test("a decorator's text inside another decorator's arguments is no route; nothing after a call never closed is", () => {
  const nested = `app = FastAPI()\n@app.get("/outer", description="""\n@app.post("/inner")\n""")\ndef outer(): pass\n`;
  assert.deepEqual(parseFastApiRoutes(nested).map((r) => `${r.method} ${r.path}`), ["GET /outer"]);
  const unclosed = `app = FastAPI()\n@app.get("/a")\ndef a(): pass\n@app.get("/cut",\n@app.get("/b")\ndef b(): pass\n`;
  assert.deepEqual(parseFastApiRoutes(unclosed).map((r) => r.path), ["/a"]);
});

// Hostile code (the import's, a generator's): a decorator never closed on each of its lines made every
// match scan to the end of the file, hours at the import's 16 MiB line cap. The test's own timeout is the budget.
test("a megabyte of decorators never closed is read in one pass", { timeout: 20_000 }, () => {
  const hostile = `app = FastAPI()\n@app.get("/first")\ndef first(): pass\n${"@app.get(\n".repeat(100_000)}`;
  assert.deepEqual(parseFastApiRoutes(hostile).map((r) => r.path), ["/first"]);
});
