import assert from "node:assert/strict";
import { test } from "node:test";
import { sseResponse } from "../../lib/http/handler.ts";
import { readSse, type SseEvent } from "./read-sse.ts";

test("events sent by sseResponse arrive in order with their JSON data, split across chunks or not", async () => {
  const response = sseResponse(async (send) => {
    send("progress", { done: 1, total: 2, name: "rover" });
    send("progress", { done: 2, total: 2, name: "gofundme" });
    send("report", { folder: "/x", text: "line one\nline two" });
  });
  const events: SseEvent[] = [];
  await readSse(response.body!, (event) => events.push(event));
  assert.deepEqual(events.map((e) => e.event), ["progress", "progress", "report"]);
  assert.deepEqual(JSON.parse(events[1]!.data), { done: 2, total: 2, name: "gofundme" });
  assert.equal(JSON.parse(events[2]!.data).text, "line one\nline two");
});

test("a chunk boundary inside an event does not lose or split it", async () => {
  const text = 'event: progress\ndata: {"done":1}\n\nevent: rep';
  const tail = 'ort\ndata: {"ok":true}\n\n';
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(text));
      controller.enqueue(encoder.encode(tail));
      controller.close();
    },
  });
  const events: SseEvent[] = [];
  await readSse(body, (event) => events.push(event));
  assert.deepEqual(events, [
    { event: "progress", data: '{"done":1}' },
    { event: "report", data: '{"ok":true}' },
  ]);
});

test("a failure inside the stream becomes an error event with the cause's message", async () => {
  const response = sseResponse(async (send) => {
    send("started", {});
    throw new Error("SQLITE_CANTOPEN: unable to open database file");
  });
  const events: SseEvent[] = [];
  await readSse(response.body!, (event) => events.push(event));
  assert.equal(events.at(-1)?.event, "error");
  assert.match(JSON.parse(events.at(-1)!.data).message, /SQLITE_CANTOPEN/);
});
