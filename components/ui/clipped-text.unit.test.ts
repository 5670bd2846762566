import assert from "node:assert/strict";
import { test } from "node:test";
import { clipText } from "./clipped-text.ts";

test("a huge text is cut to its first characters, counting what is left out", () => {
  assert.deepEqual(clipText("short", 10), { shown: "short", hidden: 0 });
  const huge = JSON.stringify({ status: "x".repeat(6000) });
  const clipped = clipText(huge, 300);
  assert.equal(clipped.shown.length, 300);
  assert.equal(clipped.hidden, huge.length - 300);
  assert.ok(huge.startsWith(clipped.shown));
});

test("the cut never splits a character made of two UTF-16 units", () => {
  const text = "a".repeat(9) + "😀" + "b".repeat(10);
  assert.deepEqual(clipText(text, 10), { shown: "a".repeat(9), hidden: text.length - 9 });
});
