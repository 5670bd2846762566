import assert from "node:assert/strict";
import { before, test } from "node:test";
import { starterLibraryDir } from "../../../../../../lib/config/paths.ts";
import { useTempStudioHome } from "../../../../../../lib/testing/temp-home.ts";

useTempStudioHome("awm-tables-route-");
const { importFolder } = await import("../../../../../../lib/library/import.ts");
const { GET } = await import("./route.ts");

const ENV = "maple_street_library_lending_desk";

async function get(table: string, query: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const request = new Request(`http://127.0.0.1/api/environments/${ENV}/tables/${encodeURIComponent(table)}?${query}`);
  const response = await GET(request, { params: Promise.resolve({ name: ENV, table }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

before(async () => {
  await importFolder(starterLibraryDir());
});

test("pages, sorts and applies col.<name> filters from the query string", async () => {
  const all = await get("copies", "pageSize=200");
  assert.equal(all.status, 200);
  const columns = all.body.columns as string[];
  const rows = all.body.rows as unknown[][];
  const status = columns.indexOf("status");
  const wanted = String(rows[0]![status]);

  const page = await get("copies", `page=2&pageSize=3&sort=id&dir=desc`);
  assert.deepEqual((page.body.rows as unknown[][]).map((r) => r[columns.indexOf("id")]), rows.map((r) => r[columns.indexOf("id")]).sort((a, b) => Number(b) - Number(a)).slice(3, 6));

  const filtered = await get("copies", `pageSize=200&col.status=${encodeURIComponent(wanted)}`);
  const expected = rows.filter((r) => String(r[status]).toLowerCase().includes(wanted.toLowerCase()));
  assert.equal(filtered.body.total, expected.length);
  assert.ok(expected.length < rows.length, "the filter must leave some rows out to prove anything");
});

test("unknown tables and columns are 400s naming them; page size is capped", async () => {
  assert.deepEqual(await get("nope", ""), { status: 400, body: { error: { message: 'unknown table "nope"' } } });
  assert.deepEqual(await get("copies", "sort=secret"), { status: 400, body: { error: { message: 'unknown sort column "secret" in table "copies"' } } });
  assert.deepEqual(await get("copies", "col.x%22y=1"), { status: 400, body: { error: { message: 'unknown filter column "x"y" in table "copies"' } } });
  assert.equal((await get("copies", "pageSize=201")).status, 400);
});
