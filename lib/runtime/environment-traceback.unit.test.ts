import assert from "node:assert/strict";
import { test } from "node:test";
import { appendTraceback, isTruncated, splitTraceback, takeTraceback } from "./environment-traceback.ts";

test("the launcher's traceback fields come out of the body; other bodies stay as they are", () => {
  assert.deepEqual(takeTraceback({ detail: "Internal Server Error", traceback: "Traceback ...\nKeyError: 'a'", traceback_length: 27 }), {
    body: { detail: "Internal Server Error" },
    traceback: { text: "Traceback ...\nKeyError: 'a'", length: 27 },
  });
  for (const body of ["Internal Server Error", [1], null, { detail: "x", traceback: "no length" }]) assert.deepEqual(takeTraceback(body), { body });
});

test("a response with its traceback reads back whole, truncated ones with their full length", () => {
  const whole = { text: "Traceback (most recent call last):\n  File ...\nValueError: no", length: 58 };
  const cut = { text: "  File ...\nValueError: no", length: 90_000 };
  for (const traceback of [whole, cut]) {
    const text = appendTraceback('HTTP 500: {"detail":"Internal Server Error"}', traceback);
    assert.deepEqual(splitTraceback(text), { response: 'HTTP 500: {"detail":"Internal Server Error"}', traceback });
  }
  assert.match(appendTraceback("HTTP 500: x", cut), /\(last 25 of 90000 chars\)/);
  assert.deepEqual([isTruncated(whole), isTruncated(cut)], [false, true]);
  assert.deepEqual(splitTraceback("HTTP 404: nope"), { response: "HTTP 404: nope" });
  const notAFailure = appendTraceback("ok", whole);
  assert.deepEqual(splitTraceback(notAFailure), { response: notAFailure }, "only a 5xx response carries one");
});
