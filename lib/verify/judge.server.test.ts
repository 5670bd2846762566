import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { startScriptedLlm, type ScriptedLlm, type ScriptedReply } from "../testing/scripted-llm.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { closeStudioDb, studioDb } from "../store/db.ts";
import { saveLlmSettings } from "../llm/settings.ts";
import { judgeTrajectory } from "./judge.ts";
import type { JudgeInput } from "./judge-prompt.ts";

useTempStudioHome("awm-judge-test-");
process.env.AWM_STUDIO_LLM_BACKOFF_MS = "10";
for (const name of ["OPENAI_BASE_URL", "OPENAI_API_KEY", "AWM_STUDIO_JUDGE_MODEL"]) delete process.env[name];

const INPUT: JudgeInput = {
  task: "Add a product 'Tea Pot' priced 20.",
  steps: [
    { role: "assistant", content: "Adding it.", toolName: "add_product", toolArguments: { name: "Tea Pot", price: 20 } },
    { role: "tool", toolResponse: '{"id": 3}' },
    { role: "assistant", content: "Done: Tea Pot added.", isFinal: true },
  ],
  finalAnswer: "Done: Tea Pot added.",
  evidence: { new_products: [{ name: "Tea Pot", price: 20 }] },
};

let reply: () => ScriptedReply;
let llm: ScriptedLlm;

before(async () => {
  llm = await startScriptedLlm(() => reply());
  await saveLlmSettings({ baseUrl: llm.baseUrl, apiKey: "sk-test-judge-key", models: { judge: "judge-model" } });
});
beforeEach(() => {
  llm.requests.length = 0;
});
after(async () => {
  await llm.close();
  await closeStudioDb();
});

const answer = (classification: string, confidence: Record<string, number>) =>
  JSON.stringify({ classification, reasoning: `it is ${classification}`, confidence, evidence: ["Tea Pot row exists"] });

describe("the LLM judge", () => {
  for (const classification of ["complete", "incomplete", "agent_error", "server_error"] as const) {
    test(`reads a "${classification}" judgement`, async () => {
      reply = () => ({ content: "```json\n" + answer(classification, { [classification]: 0.8, complete: classification === "complete" ? 0.8 : 0.2 }) + "\n```" });
      const outcome = await judgeTrajectory(INPUT, { scenario: "tiny_shop", attempt: 2 });
      assert.equal(outcome.ok, true, outcome.ok ? "" : outcome.error);
      assert.equal(outcome.classification, classification);
      assert.equal(outcome.ok && outcome.reasoning, `it is ${classification}`);
      assert.deepEqual(outcome.ok && outcome.evidence, ["Tea Pot row exists"]);
      const confidence = outcome.ok ? outcome.confidence : undefined;
      assert.equal(Math.round(Object.values(confidence ?? {}).reduce((sum, value) => sum + value, 0) * 100) / 100, 1);
      assert.ok((confidence?.[classification] ?? 0) >= 0.5);

      const [request] = llm.requests;
      assert.equal(llm.requests.length, 1);
      assert.deepEqual(request!.body.metadata, { stage: "judge", scenario: "tiny_shop", attempt: "2", role: "judge" });
      assert.equal(request!.body.model, "judge-model");
      assert.equal(request!.headers.authorization, "Bearer sk-test-judge-key");
      const userMessage = request!.body.messages[1].content as string;
      assert.match(userMessage, /Add a product 'Tea Pot' priced 20\./);
      assert.match(userMessage, /tool call: add_product\(\{"name":"Tea Pot","price":20\}\)/);
      assert.match(userMessage, /"new_products"/);

      const call = await studioDb().llmCall.findUniqueOrThrow({ where: { id: outcome.ok ? outcome.llmCallId : "" } });
      assert.equal(call.stage, "judge");
      assert.equal(call.attempt, 2);
      assert.equal(call.model, "judge-model");
      assert.equal(call.error, "");
      assert.match(call.response, new RegExp(classification));
    });
  }

  test("an answer that is not the JSON asked for is a judge_error keeping the raw text", async () => {
    for (const content of ["I think the agent did fine.", answer("mostly_done", {})]) {
      reply = () => ({ content });
      const outcome = await judgeTrajectory(INPUT);
      assert.equal(outcome.ok, false);
      assert.equal(outcome.classification, "judge_error");
      assert.equal(!outcome.ok && outcome.raw, content);
      assert.ok(!outcome.ok && outcome.llmCallId);
    }
  });

  test("a model that never answers times out, is retried, and ends as a judge_error", async () => {
    reply = () => ({ hang: true });
    const outcome = await judgeTrajectory(INPUT, { timeoutMs: 300 });
    assert.equal(outcome.classification, "judge_error");
    assert.match(!outcome.ok ? outcome.error : "", /timed out.*\(after 3 tries\)/i);
    assert.equal(llm.requests.length, 3);
  });

  test("a 500 is retried; when it persists it is reported with the server's words", async () => {
    reply = () => ({ status: 500, body: { error: { message: "model overloaded" } } });
    const outcome = await judgeTrajectory(INPUT);
    assert.equal(outcome.classification, "judge_error");
    assert.match(!outcome.ok ? outcome.error : "", /answered HTTP 500: .*model overloaded.*\(after 3 tries\)/);
    assert.equal(llm.requests.length, 3);
    const calls = await studioDb().llmCall.findMany({ where: { error: { contains: "model overloaded" } } });
    assert.equal(calls.length, 3);
  });

  test("a 500 followed by an answer succeeds", async () => {
    let count = 0;
    reply = () => (count++ === 0 ? { status: 503, body: { error: { message: "busy" } } } : { content: answer("complete", { complete: 1 }) });
    const outcome = await judgeTrajectory(INPUT);
    assert.equal(outcome.classification, "complete");
    assert.equal(llm.requests.length, 2);
  });

  test("without an LLM configured the judge says what to set", async () => {
    await saveLlmSettings({ baseUrl: null, apiKey: null });
    try {
      const outcome = await judgeTrajectory(INPUT);
      assert.equal(outcome.classification, "judge_error");
      assert.match(!outcome.ok ? outcome.error : "", /no LLM configured: set OPENAI_BASE_URL/);
      assert.equal(llm.requests.length, 0);
    } finally {
      await saveLlmSettings({ baseUrl: llm.baseUrl, apiKey: "sk-test-judge-key" });
    }
  });
});
