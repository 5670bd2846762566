import assert from "node:assert/strict";
import { test } from "node:test";
import { diffRowCount, prettyBody, readStepResponse } from "./step-response.ts";

test("a successful response is its JSON body", () => {
  const response = readStepResponse('{"id": 4, "due_date": "2026-03-24"}');
  assert.deepEqual(response, { body: { id: 4, due_date: "2026-03-24" }, isJson: true });
  assert.equal(prettyBody(response), '{\n  "id": 4,\n  "due_date": "2026-03-24"\n}');
});

test("a failed response's body is what follows its HTTP status", () => {
  assert.deepEqual(readStepResponse('HTTP 404: {"detail": "Loan not found"}'), { body: { detail: "Loan not found" }, isJson: true });
  assert.deepEqual(readStepResponse("HTTP 500: Internal Server Error"), { body: "Internal Server Error", isJson: false });
  assert.equal(prettyBody(readStepResponse("plain text")), "plain text");
});

test("a step's change size counts every inserted, deleted and updated row", () => {
  assert.equal(diffRowCount(null), 0);
  const row = { key: { id: 1 }, before: {}, after: {}, changed: [] };
  assert.equal(diffRowCount({ tables: { loans: { inserted: [{}], deleted: [], updated: [row, row] }, fines: { inserted: [], deleted: [{}], updated: [] } } }), 4);
});

test("a 5xx response's traceback is read apart from its body", () => {
  const traceback = { text: "Traceback (most recent call last):\nRuntimeError: corrupt", length: 56 };
  assert.deepEqual(readStepResponse(`HTTP 500: {"detail":"Internal Server Error"}\n--- the environment's traceback (56 chars) ---\n${traceback.text}`), {
    body: { detail: "Internal Server Error" },
    isJson: true,
    traceback,
  });
});
