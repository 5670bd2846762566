/**
 * A call sent with a capture has the database as it left it copied by the episode before the
 * answer: the copy is fetched later, after further calls changed the database, and still shows
 * that call's state, background work included; the environment cannot forge the capture's version.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { readRows } from "../testing/tiny-shop-instance.ts";
import type { EnvironmentInstance } from "./instance.ts";
import { awmEnvironment, runtimeTestContext, SHOP_SEED_SQL } from "../testing/runtime-environments.ts";

const STOCK_SHOP = awmEnvironment(`
from fastapi import BackgroundTasks
from starlette.responses import JSONResponse
from sqlalchemy import text

def restock(product_id, stock):
    session = SessionLocal()
    session.execute(text("UPDATE products SET stock = :stock WHERE id = :id"), {"stock": stock, "id": product_id})
    session.commit()
    session.close()

@app.post("/api/stock", operation_id="set_stock")
def set_stock(product_id: int = Query(...), stock: int = Query(...)):
    restock(product_id, stock)
    return {"stock": stock}

@app.post("/api/stock/later", operation_id="set_stock_later")
def set_stock_later(background: BackgroundTasks, product_id: int = Query(...), stock: int = Query(...)):
    background.add_task(restock, product_id, stock)
    return {"queued": True}

@app.get("/api/stock", operation_id="get_stock")
def get_stock(product_id: int = Query(...)):
    session = SessionLocal()
    (stock,) = session.execute(text("SELECT stock FROM products WHERE id = :id"), {"id": product_id}).one()
    session.close()
    return {"stock": stock}

@app.post("/api/stock/stream", operation_id="set_stock_streamed")
def set_stock_streamed(product_id: int = Query(...), stock: int = Query(...)):
    from starlette.responses import StreamingResponse

    def chunks():
        restock(product_id, stock)
        yield b'{"stock": '
        raise RuntimeError("the stream broke after its first chunk")

    return StreamingResponse(chunks(), media_type="application/json")

@app.get("/api/forged", operation_id="forged_capture")
def forged_capture():
    return JSONResponse({"forged": True}, headers={"X-AWM-Captured": "0123456789abcdef.1.1"})
`);

const context = runtimeTestContext("awm-captures-test-");
let shop: EnvironmentInstance;

before(async () => {
  shop = await context.start(STOCK_SHOP, context.seedDatabase(SHOP_SEED_SQL));
});
after(() => context.cleanup());

const file = (name: string) => path.join(context.root, `${name}.db`);
const stock = (dbFile: string) => readRows(dbFile, "SELECT stock FROM products WHERE id = 1")[0]?.stock;

test("a capture fetched after later calls shows its own call's database; each is fetched once; an unchanged one copies nothing", async () => {
  const initial = await shop.snapshotSince(file("initial"), undefined);
  const first = await shop.callTool("set_stock", { product_id: 1, stock: 7 }, { capture: "a1" });
  const second = await shop.callTool("set_stock", { product_id: 1, stock: 5 }, { capture: "a2" });
  assert.ok(first.captured && second.captured && first.captured !== second.captured && first.captured !== initial?.version);

  const afterFirst = await shop.snapshotCapture(file("a1"), "a1", initial?.version);
  assert.equal(afterFirst?.version, first.captured);
  assert.equal(stock(afterFirst!.file), 7, "the first call's state, although the second changed it since");
  const afterSecond = await shop.snapshotCapture(file("a2"), "a2", afterFirst?.version);
  assert.equal(stock(afterSecond!.file), 5);
  await assert.rejects(shop.snapshotCapture(file("a1-again"), "a1", initial?.version), /HTTP 404: no capture named 'a1'/);

  const read = await shop.callTool("get_stock", { product_id: 1 }, { capture: "a3" });
  assert.equal(read.captured, second.captured, "a read leaves the version as it was");
  assert.equal(await shop.snapshotCapture(file("a3"), "a3", afterSecond?.version), undefined);
  assert.equal(fs.existsSync(file("a3")), false, "nothing was copied or written");
});

test("a capture holds what the call's background task wrote: it ran before the answer was sent", async () => {
  const start = await shop.snapshotSince(file("later-start"), undefined);
  const queued = await shop.callTool("set_stock_later", { product_id: 1, stock: 2 }, { capture: "b1" });
  assert.deepEqual(queued.body, { queued: true });
  const captured = await shop.snapshotCapture(file("b1"), "b1", start?.version);
  assert.equal(stock(captured!.file), 2);
});

test("the environment cannot forge a capture's version: its own X-AWM-Captured header is replaced, and is not read without a capture", async () => {
  const start = await shop.snapshotSince(file("forged-start"), undefined);
  const forged = await shop.callTool("forged_capture", {}, { capture: "c1" });
  assert.deepEqual(forged.body, { forged: true });
  assert.equal(forged.captured, start?.version, "the episode's version, not the forged one");
  assert.equal((await shop.callTool("forged_capture", {})).captured, undefined);
});

test("a call whose answer broke after it started has no capture: the studio snapshots instead, and sees its write", async () => {
  const start = await shop.snapshotSince(file("broken-start"), undefined);
  const broken = await shop.callTool("set_stock_streamed", { product_id: 1, stock: 3 }, { capture: "d1" });
  assert.deepEqual([broken.status, broken.captured], [500, undefined]);
  await assert.rejects(shop.snapshotCapture(file("d1"), "d1", start?.version), /HTTP 404: no capture named 'd1'/);
  const after = await shop.snapshotSince(file("broken-after"), start?.version);
  assert.equal(stock(after!.file), 3);
});

test("a capture name that is not lowercase hex is refused before anything is sent", async () => {
  await assert.rejects(shop.callTool("get_stock", { product_id: 1 }, { capture: "../x" }), /capture name "..\/x" is not 1 to 32 lowercase hex digits/);
});
