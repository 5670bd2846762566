import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ExactNumber } from "../json/exact-json.ts";
import { buildRequest, buildToolCatalog, MAX_RESOLVED_NODES, ToolArgumentError, type OpenApiDocument, type Tool } from "./tool-catalog.ts";

/** Shaped like FastAPI 0.92 / pydantic 1 output (OpenAPI 3.0.2). */
const doc: OpenApiDocument = {
  openapi: "3.0.2",
  paths: {
    "/api/shops/{shop_id}/items": {
      get: {
        operationId: "list_items",
        summary: "List items",
        parameters: [
          { name: "shop_id", in: "path", required: true, schema: { title: "Shop Id", type: "integer" } },
          { name: "tag", in: "query", required: false, description: "Filter by tag", schema: { type: "array", items: { type: "string" } } },
          { name: "limit", in: "query", required: true, schema: { type: "integer" } },
        ],
      },
      post: {
        operationId: "create_item",
        summary: "Create item",
        description: "Adds an item to a shop.",
        parameters: [{ name: "shop_id", in: "path", required: true, schema: { type: "integer" } }],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CreateItem" } } } },
      },
    },
    "/api/bulk": {
      put: {
        operationId: "bulk_replace",
        requestBody: { content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Node" } } } } },
      },
    },
  },
  components: {
    schemas: {
      CreateItem: {
        title: "CreateItem",
        type: "object",
        required: ["title", "price"],
        properties: {
          title: { type: "string" },
          price: { type: "number" },
          dimensions: { title: "Dimensions", description: "Size in cm", allOf: [{ $ref: "#/components/schemas/Dimensions" }] },
        },
      },
      Dimensions: { title: "Dimensions", type: "object", properties: { width: { type: "number" } }, required: ["width"] },
      Node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/components/schemas/Node" } } } },
    },
  },
};

function toolNamed(tools: Tool[], name: string): Tool {
  const tool = tools.find((candidate) => candidate.name === name);
  assert.ok(tool, `tool ${name} listed`);
  return tool;
}

describe("buildToolCatalog", () => {
  const tools = buildToolCatalog(doc);

  test("lists one tool per operation, named by operationId, GET marked read-only", () => {
    assert.deepEqual(
      tools.map((tool) => [tool.name, tool.method, tool.path, tool.changesState]),
      [
        ["list_items", "GET", "/api/shops/{shop_id}/items", false],
        ["create_item", "POST", "/api/shops/{shop_id}/items", true],
        ["bulk_replace", "PUT", "/api/bulk", true],
      ],
    );
    assert.equal(toolNamed(tools, "create_item").description, "Create item\n\nAdds an item to a shop.");
  });

  test("path parameters are required, query parameters as declared", () => {
    const listItems = toolNamed(tools, "list_items");
    assert.deepEqual(listItems.inputSchema.required, ["shop_id", "limit"]);
    assert.deepEqual(listItems.inputSchema.properties.tag, { type: "array", items: { type: "string" }, description: "Filter by tag" });
    assert.deepEqual(listItems.argumentLocations, { shop_id: "path", tag: "query", limit: "query" });
  });

  test("an object body is merged at top level with its model's required list and refs resolved", () => {
    const createItem = toolNamed(tools, "create_item");
    assert.deepEqual(createItem.inputSchema.required, ["shop_id", "title", "price"]);
    assert.deepEqual(createItem.inputSchema.properties.dimensions, {
      title: "Dimensions",
      description: "Size in cm",
      type: "object",
      properties: { width: { type: "number" } },
      required: ["width"],
    });
    assert.equal(JSON.stringify(createItem.inputSchema).includes("$ref"), false);
  });

  test("a non-object body is one argument; a recursive schema is cut instead of looping", () => {
    const bulk = toolNamed(tools, "bulk_replace");
    assert.equal(bulk.wholeBodyArgument, "body");
    assert.deepEqual(bulk.inputSchema.required, []);
    const node = (bulk.inputSchema.properties.body?.items ?? {}) as { properties: { children: { items: { description: string } } } };
    assert.match(node.properties.children.items.description, /recursive reference to #\/components\/schemas\/Node/);
  });
});

describe("buildRequest", () => {
  const tools = buildToolCatalog(doc);

  test("substitutes and encodes path parameters and repeats array query values", () => {
    const request = buildRequest(toolNamed(tools, "list_items"), { shop_id: "a/b c", tag: ["x", "y&z"], limit: 5 });
    assert.deepEqual(request, { method: "GET", url: "/api/shops/a%2Fb%20c/items?tag=x&tag=y%26z&limit=5", headers: {} });
  });

  test("sends body arguments (and undeclared ones, as fastapi_mcp does) as one JSON object", () => {
    const request = buildRequest(toolNamed(tools, "create_item"), { shop_id: 3, title: "Mug", price: 9.5, colour: "red" });
    assert.equal(request.url, "/api/shops/3/items");
    assert.equal(request.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(request.body ?? ""), { title: "Mug", price: 9.5, colour: "red" });
  });

  test("a header value HTTP cannot carry is the caller's argument error, named; Latin-1 goes as it is", () => {
    const listItems = toolNamed(tools, "list_items");
    const tool: Tool = { ...listItems, argumentLocations: { ...listItems.argumentLocations, x_shop_token: "header" } };
    for (const value of ["café ☕", "a\r\nX-Injected: 1"]) {
      assert.throws(
        () => buildRequest(tool, { shop_id: 1, x_shop_token: value }),
        (error: unknown) => error instanceof ToolArgumentError && /tool list_items: header parameter "x_shop_token" holds characters an HTTP header cannot carry/.test(error.message),
      );
    }
    assert.equal(buildRequest(tool, { shop_id: 1, x_shop_token: "café" }).headers.x_shop_token, "café");
  });

  test("numbers a double cannot hold go out with every digit, in the path, the query and the body", () => {
    const big = new ExactNumber("9007199254740993");
    const request = buildRequest(toolNamed(tools, "create_item"), { shop_id: big, title: "Mug", price: new ExactNumber("1e+23") });
    assert.equal(request.url, "/api/shops/9007199254740993/items");
    assert.equal(request.body, '{"title":"Mug","price":1e+23}');
    assert.equal(buildRequest(toolNamed(tools, "list_items"), { shop_id: 1, limit: big }).url, "/api/shops/1/items?limit=9007199254740993");
  });

  test("sends {} to an operation with a body when no body argument is given", () => {
    assert.equal(buildRequest(toolNamed(tools, "create_item"), { shop_id: 1 }).body, "{}");
  });

  test("passes a whole-body argument through as the body", () => {
    assert.equal(buildRequest(toolNamed(tools, "bulk_replace"), { body: [{ children: [] }] }).body, '[{"children":[]}]');
  });

  test("refuses a call without a required path parameter, naming it", () => {
    assert.throws(() => buildRequest(toolNamed(tools, "list_items"), { limit: 1 }), (error: unknown) => {
      assert.ok(error instanceof ToolArgumentError);
      assert.match(error.message, /list_items: missing required path parameter "shop_id"/);
      return true;
    });
  });
});

test("references that each name two others (2^30 nodes once inlined) are refused at the node budget, not expanded", () => {
  const schemas: Record<string, unknown> = { L30: { type: "string" } };
  for (let level = 0; level < 30; level++) schemas[`L${level}`] = { type: "object", properties: { a: { $ref: `#/components/schemas/L${level + 1}` }, b: { $ref: `#/components/schemas/L${level + 1}` } } };
  const doc = {
    openapi: "3.1.0",
    components: { schemas },
    paths: { "/x": { post: { operationId: "explode", requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/L0" } } } } } } },
  };
  assert.ok(JSON.stringify(doc).length < 4_000, "a few kilobytes");
  // Without the budget this never returns: the heap runs out first.
  assert.throws(() => buildToolCatalog(doc), new RegExp(`expand past ${MAX_RESOLVED_NODES.toLocaleString("en-US")} schema nodes`));
});
