import assert from "node:assert/strict";
import { test } from "node:test";
import { measured, percentile } from "./measurement.ts";

test("the median averages the two middle values; p95 is the nearest rank", () => {
  const hundred = Array.from({ length: 100 }, (_, index) => 100 - index);
  assert.equal(percentile(hundred, 50), 50.5);
  assert.equal(percentile(hundred, 95), 95);
  assert.equal(percentile([7], 95), 7);
});

test("an at-least goal passes at or above its bound, an at-most goal at or below", () => {
  assert.equal(measured("live", [16], "instances", 16, { goalKind: "at_least" }).pass, true);
  assert.equal(measured("live", [15], "instances", 16, { goalKind: "at_least" }).pass, false);
  assert.equal(measured("reset", [21], "ms", 20).pass, false);
  assert.equal(measured("reset", [3], "ms", 20).pass, true);
});

test("the reference sits beside the figure with its own median, p95 and the ratio between them", () => {
  const figure = measured("call", [1, 2, 3, 4, 10], "ms", null, { withP95: true, reference: { what: "uvicorn over TCP", samples: [2, 4, 6, 8, 20] } });
  assert.deepEqual(
    { value: figure.value, p95: figure.p95, reference: figure.reference, ratioToReference: figure.ratioToReference },
    { value: 3, p95: 10, reference: { what: "uvicorn over TCP", value: 6, p95: 20, samples: [2, 4, 6, 8, 20] }, ratioToReference: 0.5 },
  );
});
