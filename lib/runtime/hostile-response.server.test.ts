/**
 * Issue 11, item 5: an environment that answers 600 MB. The body is streamed by the environment
 * (so the test machine never holds it either); the studio must stop reading at its cap, answer
 * with an error naming the call and the cap, keep its own heap small, and keep the instance usable.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CAPS, capText } from "../config/caps.ts";
import type { EnvironmentInstance } from "./instance.ts";
import { awmEnvironment, runtimeTestContext, SHOP_SEED_SQL } from "../testing/runtime-environments.ts";
import { UdsResponseTooLargeError } from "./uds-http.ts";

const HUGE_BYTES = 600 * 1024 * 1024;

const FLOODER = awmEnvironment(`
from fastapi.responses import Response, StreamingResponse

@app.get("/flood", operation_id="flood")
def flood():
    chunk = b"x" * (1024 * 1024)
    def body():
        for _ in range(${HUGE_BYTES / (1024 * 1024)}):
            yield chunk
    return StreamingResponse(body(), media_type="application/json")

@app.get("/declared", operation_id="declared")
def declared():
    return Response(content=b"y" * ${CAPS.environmentResponse.bytes + 1}, media_type="text/plain")

@app.get("/ping", operation_id="ping")
def ping():
    return {"pong": True}
`);

const context = runtimeTestContext("awm-hostile-response-");
let flooder: EnvironmentInstance;

before(async () => {
  flooder = await context.start(FLOODER, context.seedDatabase(SHOP_SEED_SQL));
});
after(() => context.cleanup());

test("a 600 MB streamed answer is cut off at the cap with an error naming the call; the heap stays small and the instance keeps serving", async () => {
  const heapBefore = process.memoryUsage();
  const started = Date.now();
  const error = await flooder.callTool("flood").then(
    () => assert.fail("a 600 MB answer was accepted"),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof UdsResponseTooLargeError, String(error));
  assert.equal(error.message, `GET /flood: the environment's answer is over ${capText(CAPS.environmentResponse)}; it was cut off and discarded (the instance keeps running)`);
  const heapAfter = process.memoryUsage();
  const grown = heapAfter.heapUsed + heapAfter.arrayBuffers - (heapBefore.heapUsed + heapBefore.arrayBuffers);
  assert.ok(grown < 2 * CAPS.environmentResponse.bytes, `the studio's heap grew by ${Math.round(grown / 2 ** 20)} MiB`);
  assert.ok(Date.now() - started < 20_000, "reading stopped early instead of draining 600 MB");

  const answer = await flooder.callTool("ping");
  assert.deepEqual([flooder.status, answer.status, answer.body], ["running", 200, { pong: true }]);
});

test("an answer whose Content-Length is over the cap is refused before its body is read", async () => {
  await assert.rejects(flooder.callTool("declared"), (error: Error) => error instanceof UdsResponseTooLargeError && error.message.startsWith("GET /declared:"));
  assert.equal((await flooder.callTool("ping")).status, 200);
});
