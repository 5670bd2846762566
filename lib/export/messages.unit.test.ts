import assert from "node:assert/strict";
import { test } from "node:test";
import { ExactNumber } from "../json/exact-json.ts";
import type { TrajectoryRecord } from "../trajectories/store.ts";
import { RESET_NOTE } from "../trajectories/reset-step.ts";
import { chatMessages } from "./messages.ts";

type Step = TrajectoryRecord["steps"][number];
const step = (ordinal: number, fields: Partial<Step>): Step => ({
  id: `s${ordinal}`,
  ordinal,
  role: "assistant",
  content: "",
  toolCallId: null,
  toolName: null,
  toolArguments: undefined,
  toolResponse: null,
  isError: false,
  isFinal: false,
  malformed: false,
  durationMs: null,
  ...fields,
});

test("calls of one reply share an assistant message; answers follow in order; raw and exact arguments stay as written", () => {
  const messages = chatMessages({
    task: "Do it.",
    source: "import",
    steps: [
      step(0, { content: "Two things.", toolCallId: "a", toolName: "first", toolArguments: { id: new ExactNumber("9007199254740993") }, toolResponse: "1" }),
      step(1, { toolName: "second", toolArguments: {}, toolResponse: "2" }),
      step(2, { content: "<tool_call>{bad", toolName: "third", toolArguments: "{bad", malformed: true, toolResponse: "could not be run" }),
      step(3, { content: "Done.", isFinal: true }),
    ],
  });
  assert.deepEqual(
    messages.slice(1).map((message) => [message.role, message.content, message.tool_calls?.map((call) => [call.id, call.function.name, call.function.arguments]), message.tool_call_id]),
    [
      ["user", "Do it.", undefined, undefined],
      ["assistant", "Two things.", [["a", "first", '{"id":9007199254740993}'], ["call_1", "second", "{}"]], undefined],
      ["tool", "1", undefined, "a"],
      ["tool", "2", undefined, "call_1"],
      ["assistant", "<tool_call>{bad", [["call_2", "third", "{bad"]], undefined],
      ["tool", "could not be run", undefined, "call_2"],
      ["assistant", "Done.", undefined, undefined],
    ],
  );
  assert.equal(messages[0]?.role, "system");
});

test("each playtest call is its own turn; an agent reply's further calls join it", () => {
  const calls = [step(0, { toolName: "a", toolArguments: {}, toolResponse: "1", llmCallId: "llm0" }), step(1, { toolName: "b", toolArguments: {}, toolResponse: "2", llmCallId: "llm1" }), step(2, { toolName: "c", toolArguments: {}, skipped: true, toolResponse: "not run" })];
  const replies = (source: TrajectoryRecord["source"]) =>
    chatMessages({ task: "t", source, steps: calls })
      .filter((message) => message.tool_calls)
      .map((message) => message.tool_calls?.map((call) => call.function.name));
  assert.deepEqual(replies("playtest"), [["a"], ["b"], ["c"]]);
  assert.deepEqual(replies("agent"), [["a"], ["b", "c"]]);
});

test("a playtest that reset its database is exported as the attempt after its last reset", () => {
  const messages = chatMessages({
    task: "Rename product 1.",
    source: "playtest",
    steps: [
      step(0, { toolName: "rename_product", toolArguments: { id: 1, name: "Wrong" }, toolResponse: "{}" }),
      step(1, { role: "system", content: RESET_NOTE }),
      step(2, { toolName: "rename_product", toolArguments: { id: 1, name: "Blue Mug" }, toolResponse: "{}" }),
      step(3, { content: "Renamed.", isFinal: true }),
    ],
  });
  assert.deepEqual(
    messages.slice(1).map((message) => [message.role, message.tool_calls?.map((call) => call.function.arguments) ?? message.content]),
    [
      ["user", "Rename product 1."],
      ["assistant", ['{"id":1,"name":"Blue Mug"}']],
      ["tool", "{}"],
      ["assistant", "Renamed."],
    ],
  );
});

test("a run in AWM's protocol reads as the native one: no list_tools turn, no <tool_call> markup beside tool_calls", () => {
  const messages = chatMessages({
    task: "Show my active loans.",
    source: "agent",
    steps: [
      step(0, { content: 'Tools first.\n<tool_call>{"name": "list_tools", "arguments": {}}</tool_call>', toolName: "list_tools", toolArguments: {}, toolResponse: "list_my_loans(status)", llmCallId: "llm0" }),
      step(1, { content: 'Now the loans.\n<tool_call>{"name": "call_tool", "arguments": {"tool_name": "list_my_loans", "arguments": "{}"}}</tool_call>', toolCallId: "c1", toolName: "list_my_loans", toolArguments: {}, toolResponse: "[]", llmCallId: "llm1" }),
      step(2, { content: "You have none.", isFinal: true, llmCallId: "llm2" }),
    ],
  });
  assert.deepEqual(
    messages.slice(1).map((message) => [message.role, message.content, message.tool_calls?.map((call) => call.function.name)]),
    [
      ["user", "Show my active loans.", undefined],
      ["assistant", "Now the loans.", ["list_my_loans"]],
      ["tool", "[]", undefined],
      ["assistant", "You have none.", undefined],
    ],
  );
});
