import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildJudgeMessages, readJudgeAnswer } from "./judge-prompt.ts";
import { outputShapeError } from "./verifier-output.ts";

describe("readJudgeAnswer", () => {
  test("normalizes the class name and the confidences", () => {
    const read = readJudgeAnswer('```json\n{"classification": "Agent Error", "reasoning": "wrong tool", "confidence": {"agent_error": 6, "complete": 2}}\n```');
    assert.equal(read.ok, true);
    assert.deepEqual(read.ok && read.answer, {
      classification: "agent_error",
      reasoning: "wrong tool",
      confidence: { complete: 0.25, incomplete: 0, agent_error: 0.75, server_error: 0 },
      evidence: null,
    });
  });

  test("without confidences the chosen class gets 1", () => {
    const read = readJudgeAnswer('{"classification": "partial"}');
    assert.deepEqual(read.ok && read.answer.confidence, { complete: 0, incomplete: 1, agent_error: 0, server_error: 0 });
  });

  test("an unknown class or no JSON is an error", () => {
    const unknown = readJudgeAnswer('{"classification": "great"}');
    assert.match(!unknown.ok ? unknown.error : "", /"classification" is "great"; expected one of complete, incomplete, agent_error, server_error/);
    const noJson = readJudgeAnswer("The agent did well.");
    assert.equal(noJson.ok, false);
    assert.match(!noJson.ok ? noJson.error : "", /no JSON object found/);
  });
});

describe("buildJudgeMessages", () => {
  test("a long trajectory keeps its start and end and says what was left out", () => {
    const steps = Array.from({ length: 200 }, (_, i) => ({ role: "tool", toolResponse: `result ${i} ${"x".repeat(1000)}` }));
    const [, user] = buildJudgeMessages({ task: "Do it.", steps, finalAnswer: null, evidence: { ok: true } });
    assert.match(user!.content, /\[1\] tool/);
    assert.match(user!.content, /\[200\] tool/);
    assert.match(user!.content, /… \d+ steps omitted …/);
    assert.match(user!.content, /\(the agent gave no final answer\)/);
  });
});

describe("outputShapeError", () => {
  test("sql mode wants a dict; code mode a dict with result complete or others", () => {
    assert.equal(outputShapeError("sql", { anything: 1 }, "dict"), undefined);
    assert.match(outputShapeError("sql", [1], "list") ?? "", /verify_task returned a list/);
    assert.equal(outputShapeError("code", { result: "others", why: "x" }, "dict"), undefined);
    assert.match(outputShapeError("code", null, "NoneType") ?? "", /returned a NoneType/);
  });
});
