import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { projectRoot } from "../../config/paths.ts";
import { useTempStudioHome } from "../../testing/temp-home.ts";

const home = useTempStudioHome("awm-mcp-cli-");
const { importTinyShop, TINY_SHOP } = await import("../../testing/tiny-shop-instance.ts");
const { closeStudioDb } = await import("../../store/db.ts");

before(async () => {
  await importTinyShop();
  await closeStudioDb();
});

after(() => fs.rmSync(home, { recursive: true, force: true }));

test("awm-studio mcp serves a fresh instance on stdio and stops it when stdin closes", async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(projectRoot(), "bin", "awm-studio.mjs"), "mcp", TINY_SHOP],
    env: { ...(process.env as Record<string, string>), AWM_STUDIO_HOME: home },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const client = new Client({ name: "mcp-cli-test", version: "1.0.0" });
  await client.connect(transport);

  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name).sort(), ["add_product", "get_product", "rename_product"]);
  const result = (await client.callTool({ name: "get_product", arguments: { product_id: 2 } })) as CallToolResult;
  assert.deepEqual(result.content, [{ type: "text", text: JSON.stringify({ id: 2, name: "Plate", price: 12 }) }]);

  const instanceId = /instance (\w+)/.exec(stderr)?.[1];
  assert.ok(instanceId, `the command names its instance on stderr: ${stderr}`);
  const folder = path.join(home, "instances", instanceId);
  assert.ok(fs.existsSync(folder), "the instance has its folder while the session lasts");

  await client.close();
  assert.match(stderr, new RegExp(`stdin closed, instance ${instanceId} stopped`));
  assert.equal(fs.existsSync(folder), false, "the stopped instance's folder is gone");
});
