/**
 * The environment's traceback for a call it failed with 500, where people and agents read it: the
 * playtest's step (live and as stored) and an MCP client's error result. The agent shop's
 * `report_sales` raises RuntimeError (lib/testing/agent-shop.ts).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-traceback-");
const { AGENT_SHOP, RENAME_TASK, importAgentShop } = await import("../testing/agent-shop.ts");
const manager = await import("../instances/manager.ts");
const { createMcpServer } = await import("./server.ts");
const { playtestCall, startPlaytest } = await import("../playtest/session.ts");
const { getTrajectory } = await import("../trajectories/store.ts");
const { splitTraceback } = await import("../runtime/environment-traceback.ts");

const RAISED = /File "\/opt\/awm-code\/env\.py", line \d+, in report_sales\n.*\nRuntimeError: the sales ledger is corrupt$/s;

before(importAgentShop);
after(async () => {
  await manager.stopAll();
  fs.rmSync(home, { recursive: true, force: true });
});

test("a playtest step keeps the environment's traceback, live and as stored", async () => {
  const session = await startPlaytest(AGENT_SHOP, RENAME_TASK);
  const { response, step } = await playtestCall(session, "report_sales", {});
  assert.deepEqual([response.status, response.body], [500, { detail: "Internal Server Error" }]);
  assert.match(response.traceback?.text ?? "", RAISED);
  const stored = (await getTrajectory(session.trajectoryId))?.steps.at(-1);
  assert.equal(stored?.toolResponse, step.toolResponse);
  const { response: text, traceback } = splitTraceback(stored?.toolResponse ?? "");
  assert.equal(text, 'HTTP 500: {"detail":"Internal Server Error"}');
  assert.deepEqual(traceback, response.traceback);
  assert.equal(stored?.isError, true);
});

test("an MCP client reads the traceback in the error result", async () => {
  const instance = await manager.createInstance(AGENT_SHOP);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createMcpServer(manager.instanceToolHost(instance.id));
  await server.connect(serverSide);
  const client = new Client({ name: "traceback-test", version: "1.0.0" });
  await client.connect(clientSide);
  try {
    const result = (await client.callTool({ name: "report_sales", arguments: {} })) as CallToolResult;
    assert.equal(result.isError, true);
    const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("");
    assert.match(text, /^HTTP 500: \{"detail":"Internal Server Error"\}\n--- the environment's traceback \(\d+ chars\) ---\nTraceback \(most recent call last\):\n/);
    assert.match(text, RAISED);
  } finally {
    await client.close();
  }
});
