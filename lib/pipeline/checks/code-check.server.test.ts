import assert from "node:assert/strict";
import { test } from "node:test";
import { tinyShopRecords, type TinyShop } from "../../testing/awm-fixture.ts";
import { cutOffNotesShop } from "../../testing/code-created-table.ts";
import { checkCode, type CodeCheckContext } from "./code-check.ts";

function context(shop: TinyShop): CodeCheckContext {
  return { scenario: shop.scenario.name, dbPath: shop.code.db_path, schema: shop.schema, seed: shop.seed, spec: shop.spec };
}

test("the code check passes code whose create_all makes a table the schema lost, and says so as a warning", async () => {
  const shop = cutOffNotesShop();
  const result = await checkCode({ full_code: shop.code.full_code }, context(shop));
  assert.deepEqual(result.errors, []);
  assert.equal(result.passed, true);
  assert.deepEqual(result.warnings, ["notes: broken in the schema, created by the code at start-up with columns id INTEGER PRIMARY KEY NOT NULL, product_id INTEGER NOT NULL, body VARCHAR(200) NOT NULL"]);
});

test("code that leaves the schema as it is has no start-up warning", async () => {
  const shop = tinyShopRecords();
  const result = await checkCode({ full_code: shop.code.full_code }, context(shop));
  assert.equal(result.passed, true, result.errors.join("\n"));
  assert.equal(result.warnings, undefined);
});
