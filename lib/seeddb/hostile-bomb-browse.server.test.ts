import assert from "node:assert/strict";
import { before, test } from "node:test";
import { tinyShopRecords, writeFixtureFolder } from "../testing/awm-fixture.ts";
import { normalizeScenarioName } from "../awm/normalize.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { CELL_FETCH_CAP, CELL_TEXT_CAP } from "../untrusted-db/cells.ts";

useTempStudioHome("awm-hostile-browse-");
const { importFolder } = await import("../library/import.ts");
const tableRoute = await import("../../app/api/environments/[name]/tables/[table]/route.ts");
const cellRoute = await import("../../app/api/environments/[name]/tables/[table]/cell/route.ts");

const env = tinyShopRecords("Bomb Shop");
const ENV = normalizeScenarioName("Bomb Shop");
env.schema.db_schema.tables.push({ name: "bomb", ddl: "CREATE TABLE bomb (id INTEGER PRIMARY KEY, b TEXT AS (printf('%.*c', 300000000, 'z')) VIRTUAL, n INTEGER);", indexes: [] });
env.seed.sample_data.tables.push({ table_name: "bomb", insert_statements: ["INSERT INTO bomb (id, n) VALUES (1, 1), (2, 2);"] });

async function get(handler: typeof tableRoute.GET, table: string, url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await handler(new Request(`http://127.0.0.1/api/environments/${ENV}/tables/${table}${url}`), { params: Promise.resolve({ name: ENV, table }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

before(async () => {
  await importFolder(writeFixtureFolder([env]));
});

test("hostile browse: an imported table whose column computes 300 million characters pages with that cell truncated and its length shown", async () => {
  const heapBefore = process.memoryUsage().heapUsed;
  const page = await get(tableRoute.GET, "bomb", "?page=1&pageSize=1");
  assert.equal(page.status, 200, JSON.stringify(page.body));
  assert.deepEqual(page.body.columns, ["id", "b", "n"]);
  const [row] = page.body.rows as unknown[][];
  assert.deepEqual(row, [1, { text: "z".repeat(CELL_TEXT_CAP), length: 300_000_000 }, 1]);
  assert.deepEqual(page.body.rowids, [1]);
  assert.equal(page.body.total, 2);
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024, "the studio's heap did not take the bomb");
});

test("hostile browse: the cell fetched on demand is capped at its stated maximum", async () => {
  const cell = await get(cellRoute.GET, "bomb", "/cell?rowid=2&column=b");
  assert.equal(cell.status, 200, JSON.stringify(cell.body));
  assert.equal((cell.body.value as string).length, CELL_FETCH_CAP);
  assert.deepEqual({ ...cell.body, value: undefined }, { value: undefined, type: "text", length: 300_000_000, truncated: true, cap: CELL_FETCH_CAP });
  assert.deepEqual((await get(cellRoute.GET, "bomb", "/cell?rowid=1&column=nope")).status, 400);
  assert.deepEqual((await get(cellRoute.GET, "bomb", "/cell?rowid=9&column=n")).status, 404);
  const small = await get(cellRoute.GET, "users", "/cell?rowid=1&column=name");
  assert.deepEqual(small.body, { value: "Ada", type: "text", length: 3, truncated: false, cap: CELL_FETCH_CAP });
});
