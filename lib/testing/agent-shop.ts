/**
 * Test fixture for agent runs: the tiny shop plus `get_product` (a read), `report_sales`, a tool whose
 * code raises (the environment answers 500 and logs a traceback), `close_shop`, which kills the
 * environment's process, `leave_shop`, which answers and then dies at the next request, `forge_books`, which makes
 * the episode's database snapshots a forged file from then on (an SQLite header, then no database),
 * a third task whose verifier raises, sql-mode verifiers (evidence for the LLM judge) for the first
 * two tasks, helpers to write an agent model's replies, and the scripted model itself.
 */
import fs from "node:fs";
import path from "node:path";
import { AWM_FILES } from "../awm/types.ts";
import { stopAll } from "../instances/manager.ts";
import { importFolder } from "../library/import.ts";
import { tinyShopRecords, writeFixtureFolder } from "./awm-fixture.ts";
import { startScriptedLlm, type ScriptedHandler, type ScriptedLlm, type ScriptedReply, type ScriptedRequest } from "./scripted-llm.ts";

export const AGENT_SHOP = "tiny_shop";
export const RENAME_TASK = 0;

const EXTRA_TOOLS = `
from fastapi import HTTPException


@app.get("/api/products/{product_id}", summary="Get a product", operation_id="get_product")
def get_product(product_id: int):
    with engine.connect() as conn:
        row = conn.execute(text("SELECT id, name, price FROM products WHERE id = :i"), {"i": product_id}).mappings().first()
    if row is None:
        raise HTTPException(status_code=404, detail="no such product")
    return dict(row)


@app.get("/api/reports/sales", summary="Sales report", operation_id="report_sales")
def report_sales():
    raise RuntimeError("the sales ledger is corrupt")


@app.post("/api/shop/close", summary="Close the shop", operation_id="close_shop")
def close_shop():
    os._exit(3)


LEFT = []


class LeaveAfterAnswer:
    """Once leave_shop has answered, the next request of any kind finds the process gone."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if LEFT and scope["type"] == "http":
            os._exit(4)
        await self.app(scope, receive, send)


app.add_middleware(LeaveAfterAnswer)


@app.post("/api/shop/leave", summary="Leave the shop", operation_id="leave_shop")
def leave_shop():
    LEFT.append(True)
    return {"left": True}


@app.post("/api/shop/forge", summary="Forge the books", operation_id="forge_books")
def forge_books():
    from starlette.responses import Response
    from starlette.routing import Route

    async def forged(request):
        return Response(b"SQLite format 3\\x00" + b"\\xff" * 4080, media_type="application/vnd.sqlite3")

    app.router.routes.insert(0, Route("/__awm/snapshot", forged, methods=["GET"]))
    return {"forged": True}
`;

const BROKEN_VERIFIER = `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):
    raise KeyError("opening_hours")
`;

/** A task whose verifier raises: its verdict is a judge_error. */
export const BROKEN_VERIFIER_TASK = 2;

const PRODUCTS_EVIDENCE = `def verify_task(initial_db_path, final_db_path):
    import sqlite3
    conn = sqlite3.connect(final_db_path)
    rows = conn.execute("SELECT id, name, price FROM products ORDER BY id").fetchall()
    conn.close()
    return {"products": [list(row) for row in rows]}
`;

export async function importAgentShop(): Promise<void> {
  const shop = tinyShopRecords();
  shop.tasks.tasks.push("Close the shop for the day.");
  const [first] = shop.verifiers;
  if (!first) throw new Error("tiny shop fixture changed: no verifiers");
  shop.verifiers.push({ ...first, task_idx: BROKEN_VERIFIER_TASK, task: "Close the shop for the day.", verification: { code: BROKEN_VERIFIER, raw_response: "{}" } });
  const marker = "\n\nif __name__";
  shop.code.full_code = shop.code.full_code.replace(marker, `\n${EXTRA_TOOLS}${marker}`);
  const folder = writeFixtureFolder([shop]);
  const evidence = [0, 1].map((taskIdx) => JSON.stringify({ scenario: AGENT_SHOP, task_idx: taskIdx, task: shop.tasks.tasks[taskIdx], verification: { code: PRODUCTS_EVIDENCE, raw_response: "{}" } }));
  fs.writeFileSync(path.join(folder, AWM_FILES.verifierSql), `${evidence.join("\n")}\n`);
  const report = await importFolder(folder);
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

/** The LLM judge's answer in the JSON its prompt asks for. */
export function judgeAnswer(classification: string, reasoning = `the run is ${classification}`): ScriptedReply {
  return { content: JSON.stringify({ classification, reasoning, confidence: { [classification]: 0.9 }, evidence: [] }) };
}

/** The scripted model of the agent tests: `agent` plays stage "agent" requests, `judge` answers stage "judge". */
export interface AgentModel {
  llm: ScriptedLlm;
  agent: ScriptedHandler;
  judge: ScriptedHandler;
  /** Stops every instance, then the model. */
  close(): Promise<void>;
}

/**
 * Starts the scripted model, points the studio at it (agent model "scripted-agent", no retries;
 * the judge role stays the test's to configure) and imports the agent shop.
 */
export async function startAgentModel(): Promise<AgentModel> {
  const handlers = { agent: (() => finalAnswer()) as ScriptedHandler, judge: (() => judgeAnswer("complete")) as ScriptedHandler };
  const llm = await startScriptedLlm((request) => (request.body?.metadata?.stage === "judge" ? handlers.judge : handlers.agent)(request));
  Object.assign(process.env, { OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: "test-key", AWM_STUDIO_AGENT_MODEL: "scripted-agent", AWM_STUDIO_LLM_RETRIES: "0" });
  await importAgentShop();
  const close = async () => {
    await stopAll();
    await llm.close();
  };
  return Object.assign(handlers, { llm, close });
}
