/**
 * Test fixture for agent runs: the tiny shop plus `report_sales`, a tool whose code raises (the
 * environment answers 500 and logs a traceback), `close_shop`, which kills the environment's
 * process, a third task whose verifier raises, and helpers to write an agent model's replies.
 */
import { importFolder } from "../library/import.ts";
import { tinyShopRecords, writeFixtureFolder } from "../testing/awm-fixture.ts";
import type { ScriptedReply, ScriptedRequest } from "../testing/scripted-llm.ts";

export const AGENT_SHOP = "tiny_shop";
export const RENAME_TASK = 0;

const EXTRA_TOOLS = `
@app.get("/api/reports/sales", summary="Sales report", operation_id="report_sales")
def report_sales():
    raise RuntimeError("the sales ledger is corrupt")


@app.post("/api/shop/close", summary="Close the shop", operation_id="close_shop")
def close_shop():
    os._exit(3)
`;

const BROKEN_VERIFIER = `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    raise KeyError("opening_hours")
`;

/** A task whose verifier raises: its verdict is a judge_error. */
export const BROKEN_VERIFIER_TASK = 2;

export async function importAgentShop(): Promise<void> {
  const shop = tinyShopRecords();
  shop.tasks.tasks.push("Close the shop for the day.");
  const [first] = shop.verifiers;
  if (!first) throw new Error("tiny shop fixture changed: no verifiers");
  shop.verifiers.push({ ...first, task_idx: BROKEN_VERIFIER_TASK, task: "Close the shop for the day.", verification: { code: BROKEN_VERIFIER, raw_response: "{}" } });
  const marker = "\n\nif __name__";
  shop.code.full_code = shop.code.full_code.replace(marker, `\n${EXTRA_TOOLS}${marker}`);
  const report = await importFolder(writeFixtureFolder([shop]));
  if (!report.environments.some((env) => env.name === AGENT_SHOP)) throw new Error(`agent shop fixture did not import: ${JSON.stringify(report.errors)}`);
}

/** An AWM-protocol reply calling `tool` through call_tool. */
export function callTool(tool: string, args: Record<string, unknown>, before = "I will call the tool."): { content: string } {
  return { content: `${before}\n<tool_call>${JSON.stringify({ name: "call_tool", arguments: { tool_name: tool, arguments: JSON.stringify(args) } })}</tool_call>` };
}

export const LIST_TOOLS: { content: string } = { content: '<tool_call>{"name": "list_tools", "arguments": {}}</tool_call>' };

export function finalAnswer(text = "Done."): ScriptedReply {
  return { content: text };
}

/** The request's agent metadata as numbers. */
export function turnOf(request: ScriptedRequest): { task: number; rollout: number; turn: number } {
  const metadata = (request.body.metadata ?? {}) as Record<string, string>;
  return { task: Number(metadata.task), rollout: Number(metadata.rollout), turn: Number(metadata.turn) };
}

/** A model that plays `replies` in order by turn, then answers finally. */
export function scriptedEpisode(replies: ScriptedReply[]): (request: ScriptedRequest) => ScriptedReply {
  return (request) => replies[turnOf(request).turn] ?? finalAnswer();
}
