/**
 * The saved API key never comes back: not from the settings routes, not from an endpoint that
 * echoes it (in an error or in its answer) into error messages, replies or LLM-call records.
 * The real settings, test-connection and llm-calls routes and the real OpenAI client run against a
 * scripted endpoint on loopback that quotes the Authorization header it received.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startScriptedLlm, type ScriptedLlm, type ScriptedReply, type ScriptedRequest } from "../testing/scripted-llm.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-hostile-api-key-");
for (const name of ["OPENAI_BASE_URL", "OPENAI_API_KEY", "AWM_STUDIO_JUDGE_MODEL"]) delete process.env[name];
const { closeStudioDb } = await import("../store/db.ts");
const settingsRoute = await import("../../app/api/settings/route.ts");
const testRoute = await import("../../app/api/settings/test/route.ts");
const callsRoute = await import("../../app/api/llm-calls/route.ts");
const callRoute = await import("../../app/api/llm-calls/[id]/route.ts");

const KEY = "sk-hostile-7f3a9c1e5b2d4f6a8c0e";
const MASKED = "sk-…8c0e";

type Handler = (request: Request, arg: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(handler: Handler, method: string, url: string, body?: unknown, params: Record<string, string> = {}): Promise<string> {
  const init = body === undefined ? { method } : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const response = await handler(new Request(`http://127.0.0.1:3000${url}`, init), { params: Promise.resolve(params) });
  return response.text();
}

let reply: (request: ScriptedRequest) => ScriptedReply;
let llm: ScriptedLlm;

before(async () => {
  llm = await startScriptedLlm((request) => reply(request));
  const saved = await call(settingsRoute.PUT, "PUT", "/api/settings", { baseUrl: llm.baseUrl, apiKey: KEY, models: { judge: "judge-model" } });
  assert.doesNotMatch(saved, new RegExp(KEY), "the PUT answer");
  assert.match(saved, new RegExp(MASKED));
});

after(async () => {
  await llm.close();
  await closeStudioDb();
});

/** Every record and detail of the LLM calls, as the llm-calls routes answer them. */
async function recordedCalls(): Promise<string> {
  const list = await call(callsRoute.GET, "GET", "/api/llm-calls");
  const ids = (JSON.parse(list) as { id: string }[]).map((row) => row.id);
  assert.ok(ids.length > 0, "no LLM call was recorded");
  const details = await Promise.all(ids.map((id) => call(callRoute.GET, "GET", `/api/llm-calls/${id}`, undefined, { id })));
  return [list, ...details].join("\n");
}

test("GET /api/settings shows the key masked only", async () => {
  const text = await call(settingsRoute.GET, "GET", "/api/settings");
  assert.doesNotMatch(text, new RegExp(KEY));
  assert.deepEqual((JSON.parse(text) as { apiKey: unknown }).apiKey, { set: true, masked: MASKED, source: "settings", env: "OPENAI_API_KEY" });
});

test("an endpoint that quotes the key in its error: the error message and the call record show it masked", async () => {
  reply = (request) => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${request.headers.authorization}`, echoed: request.headers } } });
  const answer = await call(testRoute.POST, "POST", "/api/settings/test", { role: "judge" });
  assert.equal(llm.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`, "the real client sent the key");
  const result = JSON.parse(answer) as { ok: boolean; error: string };
  assert.equal(result.ok, false);
  assert.match(result.error, /answered HTTP 401/);
  assert.doesNotMatch(answer, new RegExp(KEY));
  assert.match(result.error, new RegExp(`\\[API key ${MASKED}\\]`));
  assert.doesNotMatch(await recordedCalls(), new RegExp(KEY));
});

test("an endpoint that echoes the key in its answer: the reply and the recorded response show it masked", async () => {
  reply = (request) => ({ content: `ok, your header was ${request.headers.authorization}` });
  const answer = await call(testRoute.POST, "POST", "/api/settings/test", { role: "judge" });
  const result = JSON.parse(answer) as { ok: boolean; reply: string };
  assert.equal(result.ok, true, answer);
  assert.match(result.reply, new RegExp(`Bearer \\[API key ${MASKED}\\]`));
  assert.doesNotMatch(answer, new RegExp(KEY));
  assert.doesNotMatch(await recordedCalls(), new RegExp(KEY));
});

test("an endpoint that echoes the key in a function call's name and arguments: the calls the caller gets show it masked", async () => {
  reply = (request) => ({ content: "", toolCalls: [{ name: `search ${request.headers.authorization}`, arguments: JSON.stringify({ q: request.headers.authorization }) }] });
  const { llmCall } = await import("./client.ts");
  const result = await llmCall({ role: "judge", stage: "agent", messages: [{ role: "user", content: "hi" }] });
  const [toolCall] = result.toolCalls;
  assert.ok(toolCall);
  for (const text of [toolCall.name, toolCall.arguments]) {
    assert.doesNotMatch(text, new RegExp(KEY));
    assert.match(text, new RegExp(`Bearer \\[API key ${MASKED}\\]`));
  }
  assert.doesNotMatch(await recordedCalls(), new RegExp(KEY));
});

test("an answer over a record's size that quotes the key where its record is cut: no part of the key is stored", async () => {
  // The record keeps 8 KiB of a long string: the cut falls on the key's last character.
  reply = (request) => ({ content: `${"x".repeat(8 * 1024 - "Bearer ".length - KEY.length + 1)}${request.headers.authorization}${"y".repeat(2 * 1024 * 1024)}` });
  const { llmCall } = await import("./client.ts");
  const result = await llmCall({ role: "judge", stage: "agent", messages: [{ role: "user", content: "hi" }] });
  assert.doesNotMatch(result.text, new RegExp(KEY));
  assert.doesNotMatch(await recordedCalls(), new RegExp(KEY.slice(0, 12)), "not even its first characters");
});
