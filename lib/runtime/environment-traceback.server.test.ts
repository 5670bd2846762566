import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { EnvironmentInstance } from "./instance.ts";
import { awmEnvironment, eventually, runtimeTestContext } from "../testing/runtime-environments.ts";

const context = runtimeTestContext("awm-traceback-test-");

/** Line numbers below are counted in the file as the launcher runs it (preamble included). */
const FAILING = awmEnvironment(`
@app.middleware("http")
async def tag_answers(request, call_next):
    response = await call_next(request)
    response.headers["x-shop"] = "1"
    return response

def ledger_total(entries):
    return sum(entry["amount"] for entry in entries)  # LEDGER LINE

@app.get("/api/report", operation_id="report_sales", summary="Sales report")
def report_sales():
    return {"total": ledger_total([{"amount": 3}, {"sum": 4}])}

def down_a(depth):
    return down_b(depth - 1) if depth > 0 else bottom()

def down_b(depth):
    return down_a(depth - 1)

def bottom():
    raise RuntimeError("the bottom of the ledger")

@app.get("/api/deep", operation_id="deep_report", summary="A report that recurses")
def deep_report():
    return down_a(700)

@app.get("/api/items/{item_id}", operation_id="get_item", summary="One item")
def get_item(item_id: int):
    if item_id != 1:
        raise HTTPException(status_code=404, detail=f"item {item_id} not found")
    return {"id": 1}
`);

/** An environment with its own answer to every unhandled exception: the launcher leaves it alone. */
const OWN_HANDLER = awmEnvironment(`
from fastapi.responses import JSONResponse

@app.exception_handler(Exception)
async def own_answer(request, error):
    return JSONResponse({"error": "the shop is closed"}, status_code=500)

@app.get("/api/report", operation_id="report_sales", summary="Sales report")
def report_sales():
    raise ValueError("no ledger")
`);

let shop: EnvironmentInstance;

before(async () => {
  shop = await context.start(FAILING, context.seedDatabase("CREATE TABLE t (id INTEGER PRIMARY KEY);"));
});
after(() => context.cleanup());

test("an exception the code leaves unhandled answers 500 with its traceback; the next call works", async () => {
  const answer = await shop.callTool("report_sales");
  assert.deepEqual([answer.ok, answer.status, answer.body], [false, 500, { detail: "Internal Server Error" }]);
  const traceback = answer.traceback;
  assert.ok(traceback, "the answer carries the traceback");
  assert.equal(traceback.length, traceback.text.length, "a short traceback is whole");
  // From the environment's first frame on (its own middleware), without the framework's chained EndOfStream.
  assert.match(traceback.text, /^Traceback \(most recent call last\):\n {2}File "\/opt\/awm-code\/env\.py", line \d+, in tag_answers\n/);
  assert.doesNotMatch(traceback.text, /During handling|EndOfStream/);
  assert.match(traceback.text, /File "\/opt\/awm-code\/env\.py", line \d+, in report_sales\n/);
  const line = FAILING.split("\n").findIndex((text) => text.includes("# LEDGER LINE")) + 1;
  assert.match(traceback.text, new RegExp(`File "/opt/awm-code/env\\.py", line ${line}, in ledger_total`));
  assert.match(traceback.text, /KeyError: 'amount'$/);
  await eventually(() => /KeyError: 'amount'/.test(shop.stderrTail()));
  assert.match(shop.stderrTail(), /KeyError: 'amount'/, "still logged to stderr");
  assert.deepEqual((await shop.callTool("get_item", { item_id: 1 })).body, { id: 1 });
  assert.doesNotMatch(shop.stderrTail(), /Exception in ASGI application/, "uvicorn never saw it (it would drop the connection)");
});

test("an HTTPException keeps its status and body; invalid arguments keep their 422", async () => {
  const missing = await shop.callTool("get_item", { item_id: 7 });
  assert.deepEqual([missing.status, missing.body, missing.traceback], [404, { detail: "item 7 not found" }, undefined]);
  const invalid = await shop.callTool("get_item", { item_id: "seven" });
  assert.equal(invalid.status, 422);
  assert.equal(invalid.traceback, undefined);
});

test("a very long traceback keeps its innermost 64 KiB and its full length", async () => {
  const answer = await shop.callTool("deep_report");
  assert.equal(answer.status, 500);
  const traceback = answer.traceback;
  assert.ok(traceback);
  assert.equal(traceback.text.length, 64 * 1024);
  assert.ok(traceback.length > traceback.text.length, `full length ${traceback.length}`);
  assert.match(traceback.text, /in bottom\n {4}raise RuntimeError\("the bottom of the ledger"\)\nRuntimeError: the bottom of the ledger$/);
  assert.doesNotMatch(traceback.text, /Traceback \(most recent call last\)/, "the head is what was cut");
  assert.equal((await shop.callTool("get_item", { item_id: 1 })).status, 200);
});

test("an environment's own handler for unhandled exceptions keeps answering", async () => {
  const own = await context.start(OWN_HANDLER, context.seedDatabase("CREATE TABLE t (id INTEGER PRIMARY KEY);"));
  const answer = await own.callTool("report_sales");
  assert.deepEqual([answer.status, answer.body, answer.traceback], [500, { error: "the shop is closed" }, undefined]);
  assert.equal((await own.callTool("report_sales")).status, 500, "the next call is answered too");
});
