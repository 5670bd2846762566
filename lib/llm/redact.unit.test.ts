import assert from "node:assert/strict";
import { test } from "node:test";
import { MIN_REDACTED_KEY_CHARS, redactKey } from "./redact.ts";
import { NO_API_KEY } from "./settings.ts";

test("a provider's key is masked wherever it appears, as is and escaped inside JSON", () => {
  const key = 'sk-live-"quoted"-7f3a9c1e5b2d';
  const text = `Authorization: Bearer ${key}; body ${JSON.stringify({ echoed: key })}`;
  const redacted = redactKey(text, key);
  assert.ok(!redacted.includes(key) && !redacted.includes(JSON.stringify(key).slice(1, -1)), redacted);
  assert.equal(redacted.split("[API key ").length - 1, 2);
});

test("a placeholder key shorter than the minimum leaves the text alone: a model's reply is not rewritten", () => {
  const reply = '<tool_call>{"name": "call_tool", "arguments": {"tool_name": "export_xlsx", "max_tokens": 2}}</tool_call>';
  assert.equal(redactKey(reply, "x"), reply);
  assert.equal(redactKey(`the key is ${NO_API_KEY}`, NO_API_KEY), `the key is ${NO_API_KEY}`, "the studio's own placeholder is no secret either");
  assert.equal(redactKey(reply, "x".repeat(MIN_REDACTED_KEY_CHARS - 1)), reply);
  assert.notEqual(redactKey(`key ${"k".repeat(MIN_REDACTED_KEY_CHARS)}`, "k".repeat(MIN_REDACTED_KEY_CHARS)), `key ${"k".repeat(MIN_REDACTED_KEY_CHARS)}`);
});
