/**
 * A call sent with a capture has the database as it left it copied by the episode before the
 * answer: the copy is fetched later, after further calls changed the database, and still shows
 * that call's state, background work included; the environment cannot forge the capture's version,
 * and an answer over the studio's cap is never held.
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

@app.post("/api/stock/then_raise", operation_id="set_stock_then_raise")
def set_stock_then_raise(background: BackgroundTasks, product_id: int = Query(...), stock: int = Query(...)):
    def restock_then_raise():
        restock(product_id, stock)
        raise RuntimeError("the background task failed after its write")

    background.add_task(restock_then_raise)
    return {"queued": True}

@app.get("/api/huge", operation_id="huge_answer")
def huge_answer():
    from starlette.responses import StreamingResponse

    def chunks():
        for _ in range(20):
            yield b"x" * (1024 * 1024)

    return StreamingResponse(chunks(), media_type="text/plain")

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

test("a capture fetched after later calls shows its own call's database; each is fetched once; one still at the studio's version copies nothing", async () => {
  const initial = await shop.snapshotSince(file("initial"), undefined);
  const first = await shop.callTool("set_stock", { product_id: 1, stock: 7 }, { capture: { name: "a1", since: initial?.version } });
  const second = await shop.callTool("set_stock", { product_id: 1, stock: 5 }, { capture: { name: "a2", since: first.captured } });
  assert.ok(first.captured && second.captured && first.captured !== second.captured && first.captured !== initial?.version);

  const afterFirst = await shop.snapshotCapture(file("a1"), "a1", initial?.version);
  assert.equal(afterFirst?.version, first.captured);
  assert.equal(stock(afterFirst!.file), 7, "the first call's state, although the second changed it since");
  const afterSecond = await shop.snapshotCapture(file("a2"), "a2", afterFirst?.version);
  assert.equal(stock(afterSecond!.file), 5);
  await assert.rejects(shop.snapshotCapture(file("a1-again"), "a1", initial?.version), /HTTP 404: no capture named 'a1'/);

  const read = await shop.callTool("get_stock", { product_id: 1 }, { capture: { name: "a3", since: second.captured } });
  assert.equal(read.captured, second.captured, "a read leaves the version as it was");
  assert.equal(await shop.snapshotCapture(file("a3"), "a3", second.captured), undefined);
  assert.equal(fs.existsSync(file("a3")), false, "nothing was written");
  // Nothing was copied, either: asked for from an older version, the capture has nothing to give.
  await shop.callTool("get_stock", { product_id: 1 }, { capture: { name: "a4", since: second.captured } });
  await assert.rejects(shop.snapshotCapture(file("a4"), "a4", initial?.version), /HTTP 409: capture 'a4' was not copied/);
});

test("a capture holds what the call's background task wrote: it ran before the answer was sent", async () => {
  const start = await shop.snapshotSince(file("later-start"), undefined);
  const queued = await shop.callTool("set_stock_later", { product_id: 1, stock: 2 }, { capture: { name: "b1", since: start?.version } });
  assert.deepEqual(queued.body, { queued: true });
  const captured = await shop.snapshotCapture(file("b1"), "b1", start?.version);
  assert.equal(stock(captured!.file), 2);
});

test("a background task that raises once the answer is complete leaves the answer as it was, captured", async () => {
  const start = await shop.snapshotSince(file("raising-start"), undefined);
  const answered = await shop.callTool("set_stock_then_raise", { product_id: 1, stock: 4 }, { capture: { name: "b2", since: start?.version } });
  assert.deepEqual([answered.status, answered.body], [200, { queued: true }]);
  assert.ok(answered.captured);
  assert.equal(stock((await shop.snapshotCapture(file("b2"), "b2", start?.version))!.file), 4);
});

test("the environment cannot forge a capture's version: its own X-AWM-Captured header is replaced", async () => {
  const start = await shop.snapshotSince(file("forged-start"), undefined);
  const forged = await shop.callTool("forged_capture", {}, { capture: { name: "c1", since: start?.version } });
  assert.deepEqual(forged.body, { forged: true });
  assert.equal(forged.captured, start?.version, "the episode's version, not the forged one");
});

test("a call whose answer broke after it started has no capture: the studio snapshots instead, and sees its write", async () => {
  const start = await shop.snapshotSince(file("broken-start"), undefined);
  const broken = await shop.callTool("set_stock_streamed", { product_id: 1, stock: 3 }, { capture: { name: "d1", since: start?.version } });
  assert.deepEqual([broken.status, broken.captured], [500, undefined]);
  await assert.rejects(shop.snapshotCapture(file("d1"), "d1", start?.version), /HTTP 404: no capture named 'd1'/);
  const after = await shop.snapshotSince(file("broken-after"), start?.version);
  assert.equal(stock(after!.file), 3);
});

test("an answer over the studio's cap is not held past it: the studio cuts it as before, the instance serves on, and there is no capture", async () => {
  await assert.rejects(shop.callTool("huge_answer", {}, { capture: { name: "e1", since: undefined } }), /over the 16 MiB cap .*cut off and discarded \(the instance keeps running\)/);
  assert.equal((await shop.callTool("get_stock", { product_id: 1 })).ok, true);
  await assert.rejects(shop.snapshotCapture(file("e1"), "e1", undefined), /HTTP 404: no capture named 'e1'/);
});

test("a capture name that is not lowercase hex is refused before anything is sent", async () => {
  await assert.rejects(shop.callTool("get_stock", { product_id: 1 }, { capture: { name: "../x", since: undefined } }), /capture name "..\/x" is not 1 to 32 lowercase hex digits/);
});
