import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ModelJsonError, parseModelJson } from "./parse-json.ts";

describe("parseModelJson", () => {
  test("reads a bare object, a fenced one, and one surrounded by prose", () => {
    assert.deepEqual(parseModelJson('{"a": 1}'), { a: 1 });
    assert.deepEqual(parseModelJson('Here you go:\n```json\n{"a": {"b": [1, 2]}}\n```\nThanks.'), { a: { b: [1, 2] } });
    assert.deepEqual(parseModelJson('Sure! {"classification": "complete", "note": "a } inside a string"} Hope this helps.'), {
      classification: "complete",
      note: "a } inside a string",
    });
  });

  test("skips a <think> block and prefers the whole answer over a fragment", () => {
    assert.deepEqual(parseModelJson('<think>maybe {"x": 1}?</think>\n{"y": {"z": 2}}'), { y: { z: 2 } });
    assert.deepEqual(parseModelJson('<THINK>a</THINK>{"a": 1}<think>b</think>'), { a: 1 }, "any case, every block");
  });

  // A hostile answer: the <think> regex scanned to the end from every unclosed <think> (256 KB took 2.8 s,
  // the 16 MiB cap hours). The test's own timeout is the budget.
  test("an answer of a megabyte of unclosed <think> tags is read in one pass", { timeout: 10_000 }, () => {
    const answer = `${"<think>".repeat(150_000)}{"a": 1}`;
    assert.deepEqual(parseModelJson(answer), { a: 1 });
  });

  // The same for a ``` fence never closed: its regex backtracked over the language word and rescanned
  // from each letter (800,000 letters took a minute).
  test("an answer of a fence never closed and two million letters is read in one pass", { timeout: 10_000 }, () => {
    assert.throws(() => parseModelJson(`\`\`\`${"a".repeat(2_000_000)}`), /no JSON object found/);
    assert.deepEqual(parseModelJson(`\`\`\`json{"a": 1}\`\`\` \`\`\`${"b".repeat(2_000_000)}`), { a: 1 });
  });

  test("an object nested deeper than 64 levels is refused, naming the depth; 64 levels are read", () => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;
    assert.doesNotThrow(() => parseModelJson(nested(64)));
    assert.throws(() => parseModelJson(`{"x": ${nested(200_000)}}`), /the JSON found is nested deeper than 64 levels/);
  });

  test("fails with the raw text kept when there is no JSON object", () => {
    for (const text of ["no json here", "[1, 2]", '{"a": 1'] as const) {
      assert.throws(
        () => parseModelJson(text),
        (error: unknown) => error instanceof ModelJsonError && error.raw === text && /cannot read a JSON object/.test(error.message),
      );
    }
  });
});
