/**
 * An outside agent's episode: started with the CLI (over HTTP, as from a shell), played by the MCP
 * SDK's own client plus a REST call and a reset, finished by the episode's MCP tool; another one
 * finished by the CLI. Every call is a step with its diff; the verdict is recorded.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { studioTokenFile } from "../../../lib/http/studio-token.ts";
import { startRouteServer, type RouteServer } from "../../../lib/testing/route-server.ts";
import { useTempStudioHome } from "../../../lib/testing/temp-home.ts";

const home = useTempStudioHome("awm-episodes-api-");
const { importTinyShop, TINY_SHOP } = await import("../../../lib/testing/tiny-shop-instance.ts");
const manager = await import("../../../lib/instances/manager.ts");
const { getTrajectory } = await import("../../../lib/trajectories/store.ts");
const { replayTrajectory } = await import("../../../lib/trajectories/replay.ts");
const { episodeCommand } = await import("../../../lib/cli/commands/episode.ts");
const { FINISH_EPISODE_TOOL } = await import("../../../lib/mcp/episode-tool.ts");
const { taskText } = await import("../../../lib/store/task-text.ts");
const { importFolder } = await import("../../../lib/library/import.ts");
const { tinyShopRecords, writeFixtureFolder } = await import("../../../lib/testing/awm-fixture.ts");

const TOKEN = "episodes-api-test-token-0123456789abcdef";
const RENAME_TASK = 0;

let server: RouteServer;

before(async () => {
  await importTinyShop();
  fs.writeFileSync(studioTokenFile(home), TOKEN, { mode: 0o600 });
  server = await startRouteServer(
    [
      { pattern: /^\/api\/episodes$/, module: await import("./route.ts") },
      { pattern: /^\/api\/episodes\/(?<id>[^/]+)\/finish$/, module: await import("./[id]/finish/route.ts") },
      { pattern: /^\/api\/instances\/(?<id>[^/]+)\/mcp$/, module: await import("../instances/[id]/mcp/route.ts") },
      { pattern: /^\/api\/instances\/(?<id>[^/]+)\/call$/, module: await import("../instances/[id]/call/route.ts") },
      { pattern: /^\/api\/instances\/(?<id>[^/]+)\/reset$/, module: await import("../instances/[id]/reset/route.ts") },
    ],
    home,
    TOKEN,
  );
  process.env.AWM_STUDIO_URL = server.base;
});

after(async () => {
  await manager.stopAll();
  await server.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** Runs the CLI command in-process and returns its parsed --json output. */
async function cli<T>(args: string[]): Promise<{ code: number; output: T }> {
  const out: string[] = [];
  const code = await episodeCommand(args, { out: (text) => out.push(text), err: (text) => out.push(text) });
  return { code, output: JSON.parse(out.join("\n")) as T };
}

async function post(pathname: string, body: unknown): Promise<Response> {
  return fetch(`${server.base}${pathname}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
}

function text(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("");
}

interface Started {
  episode: string;
  instanceId: string;
  task: string;
  mcpUrl: string;
  mcpToken: string;
}

// First: its CLI calls then find no pooled connection that an MCP client's closed stream left for the server to close.
test("an episode of a task no verifier judges starts with a warning saying so; finishing records no reward", async () => {
  const lone = tinyShopRecords("Lone Shop");
  lone.verifiers = lone.verifiers.filter((verifier) => verifier.task_idx !== 1);
  await importFolder(writeFixtureFolder([lone]));
  const { code, output } = await cli<Started & { warnings: string[] }>(["start", "lone_shop", "--task", "1", "--json"]);
  assert.equal(code, 0);
  assert.deepEqual(output.warnings, ["task 1 of lone_shop has no code-mode verifier: finishing will record the episode without a reward (the LLM judge can still judge it in sql mode)"]);
  const finished = await cli<{ verdict: string; reward: number | null }>(["finish", output.episode, "--json"]);
  assert.deepEqual([finished.code, finished.output.verdict, finished.output.reward], [1, "judge_error", null]);
});

test("an MCP client's calls, a REST call and a reset become steps with diffs; finish_episode records the verdict", async () => {
  const { code, output: started } = await cli<Started>(["start", TINY_SHOP, "--task", String(RENAME_TASK), "--agent", "sdk client", "--json"]);
  assert.equal(code, 0);
  assert.equal(started.mcpUrl, `${server.base}/api/instances/${started.instanceId}/mcp`);
  assert.equal(started.task, await taskText(TINY_SHOP, RENAME_TASK), "the agent is told its task");
  assert.equal(manager.getInstance(started.instanceId).episode, started.episode);

  // The episode's own MCP token opens its MCP URL and nothing else of the studio.
  const asAgent = { authorization: `Bearer ${started.mcpToken}` };
  assert.equal((await fetch(`${server.base}/api/episodes/${started.episode}/finish`, { method: "POST", headers: { ...asAgent, "content-type": "application/json" }, body: "{}" })).status, 401);
  const other = await manager.createInstance(TINY_SHOP);
  try {
    const elsewhere = await fetch(`${server.base}/api/instances/${other.id}/mcp`, { method: "POST", headers: { ...asAgent, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }) });
    assert.equal(elsewhere.status, 401, "another instance's MCP URL refuses it");
  } finally {
    await manager.stopInstance(other.id);
  }
  const client = new Client({ name: "episode-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(started.mcpUrl), { requestInit: { headers: asAgent } }));
  try {
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === FINISH_EPISODE_TOOL));

    const added = (await client.callTool({ name: "add_product", arguments: { name: "Spoon", price: 3 } })) as CallToolResult;
    assert.equal(added.isError, undefined, text(added));
    const reset = await post(`/api/instances/${started.instanceId}/reset`, {});
    assert.equal(reset.status, 200);
    const renamed = (await client.callTool({ name: "rename_product", arguments: { product_id: 1, name: "Blue Mug" } })) as CallToolResult;
    assert.equal(renamed.isError, undefined, text(renamed));
    const viaRest = await post(`/api/instances/${started.instanceId}/call`, { tool: "get_product", arguments: { product_id: 1 } });
    assert.equal(viaRest.status, 200);

    const finished = (await client.callTool({ name: FINISH_EPISODE_TOOL, arguments: { answer: "Renamed product 1." } })) as CallToolResult;
    assert.match(text(finished), /^verdict: complete, reward 1\.0/);
    // The same as fields, checked by the SDK's client against the tool's output schema.
    assert.deepEqual(finished.structuredContent, { episode: started.episode, classification: "complete", reward: 1, reason: (finished.structuredContent as { reason: string }).reason });
    const instance = manager.getInstance(started.instanceId);
    assert.deepEqual([instance.status, instance.exitReason], ["stopped", "its episode finished"], "the Instances page says why it stopped");
  } finally {
    await client.close();
  }

  const trajectory = await getTrajectory(started.episode);
  assert.ok(trajectory);
  assert.equal(trajectory.model, "sdk client");
  assert.deepEqual(
    trajectory.steps.map((step) => step.toolName ?? step.role),
    ["add_product", "system", "rename_product", "get_product", "assistant"],
  );
  const [add, resetStep, rename, get, final] = trajectory.steps;
  assert.equal(add?.diff?.tables.products?.inserted.length, 1, "the added row is the first step's diff");
  assert.equal(resetStep?.diff?.tables.products?.deleted.length, 1, "the reset takes it away again");
  assert.deepEqual(rename?.diff?.tables.products?.updated.map((row) => row.key), [{ id: 1 }]);
  assert.deepEqual(get?.diff?.tables ?? {}, {}, "a read changes nothing");
  assert.equal(final?.isFinal, true);
  assert.equal(final?.content, "Renamed product 1.");
  assert.equal(trajectory.verdictClass, "complete");
  assert.equal(trajectory.reward, 1);
  assert.equal(manager.getInstance(started.instanceId).status, "stopped");
});

test("the CLI finishes an episode in which nothing was done: the verifier says no", async () => {
  const response = await post("/api/episodes", { environment: TINY_SHOP, taskIdx: RENAME_TASK });
  assert.equal(response.status, 200);
  const started = (await response.json()) as Started;
  const { code, output } = await cli<{ verdict: string; reward: number }>(["finish", started.episode, "--answer", "I could not.", "--json"]);
  assert.equal(code, 0);
  assert.notEqual(output.verdict, "complete");
  assert.equal(output.reward, 0);
  const trajectory = await getTrajectory(started.episode);
  assert.equal(trajectory?.model, "external agent (MCP)");
  assert.equal(trajectory?.reward, 0);

  const again = await post(`/api/episodes/${started.episode}/finish`, { finalAnswer: "twice" });
  assert.equal(again.status, 409);
});

test("calls an MCP client sends at once are steps one after another, each with its own change", async () => {
  const response = await post("/api/episodes", { environment: TINY_SHOP, taskIdx: RENAME_TASK });
  const started = (await response.json()) as Started;
  const client = new Client({ name: "episode-burst", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(started.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
  // Each answers before its step is written; the calls queue in the studio, one after another.
  const names = Array.from({ length: 20 }, (_, index) => `Spoon ${index}`);
  try {
    const answers = (await Promise.all(names.map((name) => client.callTool({ name: "add_product", arguments: { name, price: 3 } })))) as CallToolResult[];
    for (const answer of answers) assert.equal(answer.isError, undefined, text(answer));
    const finished = (await client.callTool({ name: FINISH_EPISODE_TOOL, arguments: { answer: "Added spoons." } })) as CallToolResult;
    assert.match(text(finished), /^verdict: /);
  } finally {
    await client.close();
  }
  const trajectory = await getTrajectory(started.episode);
  const calls = trajectory!.steps.filter((step) => step.toolName === "add_product");
  assert.equal(calls.length, names.length);
  const stepRows = calls.map((step) => step.diff?.tables.products?.inserted.map((row) => row.name));
  assert.deepEqual(stepRows, calls.map((step) => [(step.toolArguments as { name: string }).name]), "each step's diff holds its own call's row, and only it");
  assert.deepEqual(
    trajectory!.steps.at(-1)?.cumulativeDiff?.tables.products?.inserted.map((row) => row.name).sort(),
    [...names].sort(),
    "the final step's change since the start holds every row",
  );
});

test("calls the studio refuses are steps too, marked malformed with why, in both MCP views", async () => {
  const response = await post("/api/episodes", { environment: TINY_SHOP, taskIdx: RENAME_TASK });
  const started = (await response.json()) as Started;
  const connect = async (url: string) => {
    const client = new Client({ name: "episode-refused", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${started.mcpToken}` } } }));
    return client;
  };
  const full = await connect(started.mcpUrl);
  const awm = await connect(`${started.mcpUrl}?view=awm`);
  try {
    const badType = (await full.callTool({ name: "rename_product", arguments: { product_id: "one", name: "Blue Mug" } })) as CallToolResult;
    assert.equal(badType.isError, true);
    await assert.rejects(full.callTool({ name: "rename_the_product", arguments: {} }), /unknown tool "rename_the_product"/);
    const badJson = (await awm.callTool({ name: "call_tool", arguments: { tool_name: "rename_product", arguments: "{product_id: 1" } })) as CallToolResult;
    assert.equal(badJson.isError, true);
    const noName = (await awm.callTool({ name: "call_tool", arguments: { arguments: "{}" } })) as CallToolResult;
    assert.equal(noName.isError, true);
    const good = (await awm.callTool({ name: "call_tool", arguments: { tool_name: "rename_product", arguments: '{"product_id": 1, "name": "Blue Mug"}' } })) as CallToolResult;
    assert.equal(good.isError, undefined, text(good));
    await full.callTool({ name: FINISH_EPISODE_TOOL, arguments: { answer: "Renamed product 1." } });
  } finally {
    await Promise.all([full.close(), awm.close()]);
  }
  const trajectory = await getTrajectory(started.episode);
  const calls = trajectory!.steps.filter((step) => step.toolName);
  assert.deepEqual(
    calls.map((step) => [step.toolName, step.malformed]),
    [
      ["rename_product", true],
      ["rename_the_product", true],
      ["rename_product", true],
      ["call_tool", true],
      ["rename_product", false],
    ],
  );
  assert.match(calls[0]!.toolResponse ?? "", /invalid arguments for rename_product/);
  assert.match(calls[1]!.toolResponse ?? "", /unknown tool "rename_the_product"; this instance's tools: /);
  assert.match(calls[3]!.toolResponse ?? "", /call_tool needs tool_name/);
  assert.equal(calls[0]!.diff, null, "a refused call changed nothing and has no diff");
  assert.equal(trajectory!.reward, 1, "the verifier judges what the calls did");
});

test("a live episode is not replayed: the replay would give it a final database and end it for its agent", async () => {
  const response = await post("/api/episodes", { environment: TINY_SHOP, taskIdx: RENAME_TASK });
  const started = (await response.json()) as Started;
  const called = await post(`/api/instances/${started.instanceId}/call`, { tool: "rename_product", arguments: { product_id: 1, name: "Blue Mug" } });
  assert.equal(called.status, 200);
  await assert.rejects(replayTrajectory(started.episode), /playtest .* is not finished: finish it/);
  const { code, output } = await cli<{ verdict: string; reward: number }>(["finish", started.episode, "--answer", "Renamed.", "--json"]);
  assert.equal(code, 0);
  assert.equal(output.verdict, "complete");
  assert.equal((await replayTrajectory(started.episode)).status, "ok");
});

test("finishing an episode whose instance was stopped says so and how to go on, not that no episode has that id", async () => {
  const started = await post("/api/episodes", { environment: "tiny_shop", taskIdx: 0 });
  const { episode, instanceId } = (await started.json()) as Started;
  // An outside agent's episode, not a person's playtest: so its trajectory says.
  assert.equal((await getTrajectory(episode))?.source, "episode");
  await manager.stopInstance(instanceId);
  const refused = await post(`/api/episodes/${episode}/finish`, { finalAnswer: "done" });
  assert.equal(refused.status, 409);
  const { error } = (await refused.json()) as { error: { message: string } };
  assert.match(error.message, new RegExp(`^episode ${episode}'s instance is stopped \\(stopped on request\\): restart it on its playtest page \\(/playtest/${episode}\\)`));
});
