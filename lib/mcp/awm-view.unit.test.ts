import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveToolName } from "./awm-view.ts";

const tools = [{ name: "create_campaign_update" }, { name: "update" }, { name: "get_campaign" }];

test("tool names resolve exactly, or after the MCP client's mcp_tool_<server>_ prefix", () => {
  assert.equal(resolveToolName(tools, "get_campaign")?.name, "get_campaign");
  assert.equal(resolveToolName(tools, "mcp_tool_mcp_server_create_campaign_update")?.name, "create_campaign_update");
  assert.equal(resolveToolName(tools, "mcp_tool_get_campaign")?.name, "get_campaign");
});

test("names without the prefix are never guessed", () => {
  assert.equal(resolveToolName(tools, "campaign_update"), undefined);
  assert.equal(resolveToolName(tools, "my_get_campaign"), undefined);
  assert.equal(resolveToolName(tools, "mcp_tool_mcp_server_delete_campaign"), undefined);
});
