/**
 * Test fixture: the tiny shop environment plus a read-only `get_product` tool that answers 404 for
 * unknown ids (and any tools a test adds), imported into the current AWM_STUDIO_HOME (set it first
 * with useTempStudioHome()).
 */
import Database from "better-sqlite3";
import { importFolder } from "../library/import.ts";
import { tinyShopRecords, writeFixtureFolder } from "./awm-fixture.ts";

export const TINY_SHOP = "tiny_shop";

const GET_PRODUCT = `
@app.get("/api/products/{product_id}", summary="Get a product", operation_id="get_product")
def get_product(product_id: int):
    from fastapi import HTTPException
    with engine.connect() as conn:
        row = conn.execute(text("SELECT id, name, price FROM products WHERE id = :i"), {"i": product_id}).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail=f"product {product_id} not found")
    return {"id": row[0], "name": row[1], "price": row[2]}
`;

/** A tool that raises product `product_id`'s price by one: a one-row write. */
export const BUMP_PRICE_TOOL = `
@app.post("/api/products/{product_id}/bump", operation_id="bump_price")
def bump_price(product_id: int):
    with engine.begin() as conn:
        conn.execute(text("UPDATE products SET price = price + 1 WHERE id = :i"), {"i": product_id})
    return {"ok": True}
`;

/** `extraTools`: more FastAPI handlers, added to the shop's code beside get_product. */
export async function importTinyShop(extraTools = ""): Promise<void> {
  const shop = tinyShopRecords();
  const marker = "\n\nif __name__";
  if (!shop.code.full_code.includes(marker)) throw new Error("tiny shop fixture code changed: no `if __name__` block to insert get_product before");
  shop.code.full_code = shop.code.full_code.replace(marker, `\n${GET_PRODUCT}${extraTools}${marker}`);
  const report = await importFolder(writeFixtureFolder([shop]));
  if (!report.environments.some((env) => env.name === TINY_SHOP)) throw new Error(`tiny shop fixture did not import: ${JSON.stringify(report.errors)}`);
}

/** Rows of a database file (a snapshot), opened read-only. */
export function readRows(dbFile: string, sql: string): Record<string, unknown>[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
