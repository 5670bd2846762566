import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRun } from "./parse-run.ts";
import { verdictFromRunFile } from "./run-verdicts.ts";
import { resolveToolName } from "./tool-names.ts";

const TOOLS = new Set(["create_campaign_update", "update", "list_campaigns"]);

test("logged tool names resolve to the environment's tools whatever the prefix", () => {
  assert.equal(resolveToolName("mcp_tool_mcp_server_create_campaign_update", TOOLS), "create_campaign_update");
  assert.equal(resolveToolName("mcp__awm-gofundme__list_campaigns", TOOLS), "list_campaigns");
  assert.equal(resolveToolName("list_campaigns", TOOLS), "list_campaigns");
  assert.equal(resolveToolName("mcp_tool_mcp_server_unknown_tool", TOOLS), "unknown_tool");
});

test("call_tool meta-calls are unwrapped and bad arguments are malformed", () => {
  const run = parseRun(
    {
      scenario: "GoFundMe",
      task_id: "2",
      trajectory: [
        { role: "assistant", content: "", tool_calls: [{ id: "a", name: "call_tool", arguments: { tool_name: "mcp_tool_list_campaigns", arguments: '{"q": "x"}' } }] },
        { role: "tool", tool_response: { tool_call_id: "a", content: '{"detail": "Not Found"}' } },
        { role: "assistant", content: "", tool_calls: [{ id: "b", name: "update", arguments: "[1, 2]" }] },
        { role: "assistant", content: "All done." },
      ],
    },
    "trajectory.json",
    TOOLS,
  );
  assert.equal(run.taskIdx, 2);
  assert.deepEqual(
    run.steps.map((step) => [step.toolName, step.toolArguments, step.malformed ?? false, step.isError ?? false, step.isFinal ?? false]),
    [
      ["list_campaigns", { q: "x" }, false, true, false],
      ["update", "[1, 2]", true, false, false],
      [undefined, undefined, false, false, true],
    ],
  );
  assert.equal(run.finalAnswer, "All done.");
});

test("verify files become verdicts with their class, reward and raw output", () => {
  const code = verdictFromRunFile("code", { result: "complete", details: 1 }, '{"result":"complete","details":1}');
  assert.deepEqual([code.classification, code.reward, code.verifierOutput], ["complete", 1, '{"result":"complete","details":1}']);
  const sql = verdictFromRunFile("sql", { classification: "incomplete", reasoning: "half", confidence: { complete: 0.2, incomplete: 0.8 } }, "{}");
  assert.deepEqual([sql.classification, sql.reward, sql.reasoning, sql.confidence], ["incomplete", 0.1, "half", { complete: 0.2, incomplete: 0.8 }]);
  const unknown = verdictFromRunFile("sql", { something: "else" }, "{}");
  assert.equal(unknown.classification, "judge_error");
  assert.match(unknown.error ?? "", /no recognised classification/);
});

test("results find their calls by id, the oldest first; a result without an id takes the oldest call waiting", () => {
  const call = (id: string) => ({ id, name: "list_campaigns", arguments: {} });
  const run = parseRun(
    {
      scenario: "GoFundMe",
      task_id: 0,
      trajectory: [
        { role: "assistant", content: "", tool_calls: [call("a"), call("b"), call("a")] },
        { role: "tool", tool_response: { tool_call_id: "b", content: "for b" } },
        { role: "tool", content: "no id" },
        { role: "tool", tool_response: { tool_call_id: "a", content: "for the second a" } },
        { role: "tool", tool_response: { tool_call_id: "zzz", content: "for nobody" } },
      ],
    },
    "trajectory.json",
    TOOLS,
  );
  assert.deepEqual(
    run.steps.map((step) => [step.role, step.toolCallId, step.toolResponse]),
    [
      ["assistant", "a", "no id"],
      ["assistant", "b", "for b"],
      ["assistant", "a", "for the second a"],
      ["tool", "zzz", "for nobody"],
    ],
  );
});

// A hostile run folder: a call per entry and as many results naming no call made each result search
// every call waiting (hours at the 64 MiB file cap). The test's own timeout is the budget.
test("a run past the step cap is refused by name, after one pass over its entries", { timeout: 20_000 }, () => {
  const calls = 200_000;
  const trajectory = [
    { role: "assistant", content: "", tool_calls: Array.from({ length: calls }, (_, index) => ({ id: `c${index}`, name: "list_campaigns", arguments: {} })) },
    ...Array.from({ length: calls }, (_, index) => ({ role: "tool", tool_response: { tool_call_id: `x${index}`, content: "" } })),
  ];
  assert.throws(() => parseRun({ scenario: "GoFundMe", task_id: 0, trajectory }, "runs/7/trajectory.json", TOOLS), /^Error: runs\/7\/trajectory\.json: the run has 400000 steps \(its messages and tool calls\); a run is capped at 10000$/);
});
