import assert from "node:assert/strict";
import { test } from "node:test";
import { stepNumber, stepStatus } from "./step-label.ts";

test("steps are numbered from 1 on every page", () => {
  assert.equal(stepNumber(0), 1);
  assert.equal(stepNumber(41), 42);
});

test("a step's status comes from the recorded step alone, so it reads the same live and after a reload", () => {
  assert.deepEqual(stepStatus({ isError: false, toolResponse: '{"id": 1}' }), { label: "ok", tone: "ok" });
  assert.deepEqual(stepStatus({ isError: true, toolResponse: 'HTTP 422: {"detail": []}' }), { label: "HTTP 422", tone: "error" });
  assert.deepEqual(stepStatus({ isError: true, toolResponse: "connection reset" }), { label: "error", tone: "error" });
});
