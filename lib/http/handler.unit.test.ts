import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { BusyError, ConflictError, InvalidInputError, NotFoundError, UnavailableError } from "../errors.ts";
import { HttpError, route } from "./handler.ts";
import { NameParams, pipelineStageSegment, segment, wholeNumberSegment } from "./params.ts";

const noParams = { params: Promise.resolve({}) };
const json = { "content-type": "application/json" };

test("POST input is parsed from the JSON body and the output goes back as JSON", async () => {
  const handler = route({ input: z.object({ folder: z.string() }), output: z.object({ got: z.string() }) }, async ({ folder }) => ({ got: folder }));
  const response = await handler(new Request("http://x/api", { method: "POST", headers: json, body: JSON.stringify({ folder: "/data/awm" }) }), noParams);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { got: "/data/awm" });
});

test("GET input comes from the search params; path params arrive resolved", async () => {
  const handler = route({ input: z.object({ limit: z.coerce.number() }) }, async ({ limit }, { params }) => ({ limit, name: params.name }));
  const response = await handler(new Request("http://x/api/environments/rover?limit=25"), { params: Promise.resolve({ name: "rover" }) });
  assert.deepEqual(await response.json(), { limit: 25, name: "rover" });
});

test("a params schema types and checks the path segments before the handler runs", async () => {
  const handler = route({ params: z.object({ name: segment, version: wholeNumberSegment("version", 1) }) }, async (_input, { params }) => ({ name: params.name, next: params.version + 1 }));
  const ok = await handler(new Request("http://x/api/environments/rover/3"), { params: Promise.resolve({ name: "rover", version: "3" }) });
  assert.deepEqual(await ok.json(), { name: "rover", next: 4 });
  const bad = await handler(new Request("http://x/api/environments/rover/0"), { params: Promise.resolve({ name: "rover", version: "0" }) });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /version must be a positive integer, got "0"/);
  const missing = await route({ params: NameParams }, async () => ({}))(new Request("http://x/api"), noParams);
  assert.equal(missing.status, 400);
});

test("a stage segment outside the pipeline's stages is refused with the list of stages", async () => {
  const handler = route({ params: z.object({ stage: pipelineStageSegment("stage") }) }, async (_input, { params }) => ({ stage: params.stage }));
  const bad = await handler(new Request("http://x/api"), { params: Promise.resolve({ stage: "tables" }) });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /unknown stage "tables"; one of scenario, tasks, schema, seed, spec, code, verifier/);
  assert.deepEqual(await (await handler(new Request("http://x/api"), { params: Promise.resolve({ stage: "spec" }) })).json(), { stage: "spec" });
});

test("a zod input error is a 400 naming the field", async () => {
  const handler = route({ input: z.object({ folder: z.string() }) }, async () => ({}));
  const response = await handler(new Request("http://x/api", { method: "POST", headers: json, body: JSON.stringify({ folder: 3 }) }), noParams);
  assert.equal(response.status, 400);
  const body = (await response.json()) as { error: { message: string; details: unknown[] } };
  assert.match(body.error.message, /^folder: /);
  assert.equal(body.error.details.length, 1);
});

test("a body that is not JSON is a 400 with the parser's message", async () => {
  const handler = route({ input: z.object({ folder: z.string() }) }, async () => ({}));
  const response = await handler(new Request("http://x/api", { method: "POST", headers: json, body: "{folder" }), noParams);
  assert.equal(response.status, 400);
  assert.match(((await response.json()) as { error: { message: string } }).error.message, /not JSON/);
});

test("HttpError and NotFound keep their status; anything else is a 500 with the real cause", async () => {
  const missing = await route({}, async () => {
    throw new NotFoundError('no environment named "x"');
  })(new Request("http://x/"), noParams);
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), { error: { message: 'no environment named "x"' } });

  const conflict = await route({}, async () => {
    throw new HttpError(409, "busy", { instance: 3 });
  })(new Request("http://x/"), noParams);
  assert.equal(conflict.status, 409);
  assert.deepEqual(await conflict.json(), { error: { message: "busy", details: { instance: 3 } } });

  const broken = await route({}, async () => {
    throw new Error("SQLITE_ERROR: no such table: users");
  })(new Request("http://x/"), noParams);
  assert.equal(broken.status, 500);
  assert.equal(((await broken.json()) as { error: { message: string } }).error.message, "SQLITE_ERROR: no such table: users");
});

test("each domain error maps to its status by its class, details kept; a look-alike name is still a 500", async () => {
  const cases = [
    [new NotFoundError("gone"), 404],
    [new ConflictError("finished"), 409],
    [new InvalidInputError("bad", [{ path: ["x"] }]), 400],
    [new BusyError("full"), 429],
    [new UnavailableError("no sandbox"), 503],
  ] as const;
  for (const [error, status] of cases) {
    const response = await route({}, async () => {
      throw error;
    })(new Request("http://x/"), noParams);
    assert.equal(response.status, status, error.name);
    assert.deepEqual(await response.json(), { error: error.details === undefined ? { message: error.message } : { message: error.message, details: error.details } });
  }
  const lookAlike = Object.assign(new Error("named like one"), { name: "NotFoundError" });
  const response = await route({}, async () => {
    throw lookAlike;
  })(new Request("http://x/"), noParams);
  assert.equal(response.status, 500);
});

test("an output that breaks its schema is a 500, not a silent bad answer", async () => {
  const handler = route({ output: z.object({ count: z.number() }) }, async () => ({ count: "three" }) as unknown as { count: number });
  const response = await handler(new Request("http://x/"), noParams);
  assert.equal(response.status, 500);
});

test("a body without Content-Type: application/json is a 415, however JSON it looks", async () => {
  const handler = route({ input: z.object({ folder: z.string() }) }, async () => ({ ran: true }));
  const response = await handler(new Request("http://x/api", { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ folder: "/x" }) }), noParams);
  assert.equal(response.status, 415);
  assert.match(((await response.json()) as { error: { message: string } }).error.message, /Content-Type: application\/json.*"text\/plain"/);
});

test("a body over the JSON cap is a 413 naming the cap, and the stream is not read to its end", async () => {
  let pulled = 0;
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const handler = route({ input: z.object({ folder: z.string() }) }, async () => ({ ran: true }));
  const request = new Request("http://x/api", { method: "POST", headers: json, body: endless, duplex: "half" } as RequestInit);
  const response = await handler(request, noParams);
  assert.equal(response.status, 413);
  assert.match(((await response.json()) as { error: { message: string } }).error.message, /8 MiB cap on a JSON request body/);
  assert.ok(pulled < 16 * 1024 * 1024, `read ${pulled} bytes of an endless body`);
});
