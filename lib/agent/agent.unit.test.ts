import assert from "node:assert/strict";
import { test } from "node:test";
import { windowedMessages } from "./history.ts";
import { parseToolCalls } from "./parse-tool-calls.ts";
import { choose, groupStatistics } from "./stats.ts";
import { resolveCall } from "./resolve-call.ts";
import { buildToolCatalog, type OpenApiDocument } from "../runtime/tool-catalog.ts";

const close = (actual: number | null | undefined, expected: number) => assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} ≈ ${expected}`);

test("group statistics: mean, sample std, GRPO advantages, unbiased pass@k and pass^k", () => {
  const stats = groupStatistics([1, 1, 0, 1]);
  close(stats.mean, 0.75);
  close(stats.std, 0.5);
  [0.5, 0.5, -1.5, 0.5].forEach((expected, index) => close(stats.advantages[index], expected));
  assert.equal(stats.zeroVariance, false);
  close(stats.passAtK["1"], 0.75);
  close(stats.passAtK["2"], 1);
  close(stats.passAtK["4"], 1);
  close(stats.passHatK["1"], 0.75);
  close(stats.passHatK["2"], 0.5);
  close(stats.passHatK["4"], 0);
});

test("a group whose rewards are all equal has zero variance and zero advantages", () => {
  const stats = groupStatistics([0, 0, 0]);
  assert.equal(stats.zeroVariance, true);
  assert.deepEqual(stats.advantages, [0, 0, 0]);
  assert.equal(stats.std, 0);
  assert.deepEqual(stats.passAtK, { 1: 0, 2: 0, 3: 0 });
});

test("partial credit is no success, a format error counts below zero, an empty group has no statistics", () => {
  const stats = groupStatistics([0.1, -1, 1]);
  assert.equal(stats.successes, 1);
  close(stats.mean, 0.1 / 3);
  close(stats.passAtK["1"], 1 / 3);
  assert.deepEqual(groupStatistics([]), { n: 0, successes: 0, mean: null, std: null, advantages: [], zeroVariance: false, passAtK: {}, passHatK: {} });
  assert.equal(groupStatistics([1]).std, 0);
  assert.deepEqual([choose(4, 2), choose(1, 2), choose(5, 0)], [6, 0, 1]);
});

test("tool calls in AWM's text protocol: every block in order, malformed ones with their raw text", () => {
  assert.equal(parseToolCalls("The mug is renamed."), null);
  const calls = parseToolCalls(
    'First <tool_call>{"name": "call_tool", "arguments": {"tool_name": "a", "arguments": "{}"}}</tool_call> then <tool_call>\n```json\n{"name": "list_tools"}\n```\n</tool_call> and <tool_call>{oops}</tool_call><tool_call>{"arguments": {}}</tool_call><tool_call>{"name": "x"',
  );
  assert.ok(calls);
  assert.deepEqual(calls[0], { raw: '{"name": "call_tool", "arguments": {"tool_name": "a", "arguments": "{}"}}', name: "call_tool", arguments: { tool_name: "a", arguments: "{}" } });
  assert.deepEqual(calls[1] && "name" in calls[1] && [calls[1].name, calls[1].arguments], ["list_tools", {}]);
  assert.match(calls[2] && "problem" in calls[2] ? calls[2].problem : "", /not valid JSON/);
  assert.match(calls[3] && "problem" in calls[3] ? calls[3].problem : "", /no "name"/);
  assert.deepEqual(calls[4], { raw: '{"name": "x"', problem: "the <tool_call> block is never closed with </tool_call>" });
  assert.equal(calls.length, 5);
});

test("the history window keeps the head and the last K interactions", () => {
  const head = ["system", "task"];
  const interactions = [["a1", "r1"], ["a2", "r2"], ["a3", "r3"]];
  assert.deepEqual(windowedMessages(head, interactions, null), ["system", "task", "a1", "r1", "a2", "r2", "a3", "r3"]);
  assert.deepEqual(windowedMessages(head, interactions, 1), ["system", "task", "a3", "r3"]);
  assert.deepEqual(windowedMessages(head, interactions, 5).length, 8);
  assert.deepEqual(windowedMessages(head, [], 2), head);
});

test("a call whose header argument no HTTP request can carry is the agent's malformed call, not the environment's failure", () => {
  const document = {
    openapi: "3.0.0",
    paths: { "/api/items": { get: { operationId: "list_items", parameters: [{ name: "x_token", in: "header", required: true, schema: { type: "string" } }] } } },
  } as unknown as OpenApiDocument;
  const tools = buildToolCatalog(document);
  const refused = resolveCall(tools, "list_items", { x_token: "café ☕" });
  assert.equal(refused.kind, "malformed");
  assert.match(refused.kind === "malformed" ? refused.problem : "", /header parameter "x_token" holds characters an HTTP header cannot carry/);
  assert.equal(resolveCall(tools, "list_items", { x_token: "café" }).kind, "call");
});

// A hostile model's reply: the closing-fence regex tried every run of spaces to the end (a 200,000-space
// block took 43 s). The test's own timeout is the budget.
test("a <tool_call> block of a million spaces is read in one pass: not valid JSON, with a fence it is", { timeout: 10_000 }, () => {
  const spaces = " ".repeat(1_000_000);
  const [call] = parseToolCalls(`<tool_call>a${spaces}b</tool_call>`) ?? [];
  assert.ok(call && "problem" in call);
  assert.match(call.problem, /^the <tool_call> block is not valid JSON/);
  const [fenced] = parseToolCalls(`<tool_call>\`\`\`json\n{"name": "list_tools", "arguments": {}}${spaces}\`\`\`</tool_call>`) ?? [];
  assert.ok(fenced && "name" in fenced);
  assert.deepEqual([fenced.name, fenced.arguments], ["list_tools", {}]);
});
