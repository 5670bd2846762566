/**
 * The agent's web routes over HTTP. "Run agent": the streaming route plays a scripted agent model on
 * the tiny shop and sends each step as it is recorded, then the result; the stop route ends a run
 * before its next turn. Rollouts: a job launched by its route, read back with tool usage.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import type { AgentModel } from "../../../lib/testing/agent-shop.ts";
import { startRouteServer, type RouteServer } from "../../../lib/testing/route-server.ts";
import { useTempStudioHome } from "../../../lib/testing/temp-home.ts";
import { readSse } from "../../../components/ui/read-sse.ts";

const home = useTempStudioHome("awm-agent-runs-api-");
const { AGENT_SHOP, RENAME_TASK, LIST_TOOLS, callTool, scriptedEpisode, startAgentModel } = await import("../../../lib/testing/agent-shop.ts");
const manager = await import("../../../lib/instances/manager.ts");
const { getTrajectory } = await import("../../../lib/trajectories/store.ts");

const TOKEN = "agent-runs-api-test-token-0123456789abcdef";
let server: RouteServer;
let model: AgentModel;

before(async () => {
  model = await startAgentModel();
  server = await startRouteServer(
    [
      { pattern: /^\/api\/agent-runs$/, module: await import("./route.ts") },
      { pattern: /^\/api\/agent-runs\/(?<id>[^/]+)\/stop$/, module: await import("./[id]/stop/route.ts") },
      { pattern: /^\/api\/rollouts$/, module: await import("../rollouts/route.ts") },
      { pattern: /^\/api\/rollouts\/(?<id>[^/]+)$/, module: await import("../rollouts/[id]/route.ts") },
    ],
    home,
    TOKEN,
  );
});

after(async () => {
  await server.close();
  await model.close();
  fs.rmSync(home, { recursive: true, force: true });
});

function post(pathname: string, body: unknown): Promise<Response> {
  return fetch(`${server.base}${pathname}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
}

interface Streamed {
  event: string;
  data: Record<string, unknown>;
}

/** Starts a run and reads its events; `onEvent` sees each one as it arrives. */
async function runAgent(settings: Record<string, unknown>, onEvent: (event: Streamed) => void = () => undefined): Promise<Streamed[]> {
  const response = await post("/api/agent-runs", { environment: AGENT_SHOP, taskIdx: RENAME_TASK, settings });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/);
  const events: Streamed[] = [];
  await readSse(response.body!, ({ event, data }) => {
    const streamed = { event, data: JSON.parse(data) as Record<string, unknown> };
    events.push(streamed);
    onEvent(streamed);
  });
  return events;
}

test("a run streams started, each step as recorded, then the verdict", async () => {
  model.agent = scriptedEpisode([LIST_TOOLS, callTool("rename_product", { product_id: 1, name: "Blue Mug" })]);
  const events = await runAgent({ maxTurns: 5 });
  assert.deepEqual(events.map((event) => event.event), ["started", "step", "step", "step", "done"]);
  const started = events[0]!.data as { trajectoryId: string; instanceId: string };
  const done = events.at(-1)!.data;
  assert.equal(done.trajectoryId, started.trajectoryId);
  assert.equal(done.reward, 1);
  assert.equal(done.status, "final");
  const trajectory = await getTrajectory(started.trajectoryId);
  assert.deepEqual(
    trajectory?.steps.map((step) => step.id),
    events.filter((event) => event.event === "step").map((event) => event.data.id),
  );
  assert.deepEqual(events[2]!.data.toolName, "rename_product");
  assert.match(String(events[2]!.data.content), /<tool_call>/, "the step carries the model's raw text");
  assert.equal(manager.getInstance(started.instanceId).status, "stopped", "the run's instance stops with it");
});

test("Stop ends the run before its next turn; it is still judged", async () => {
  const events: Streamed[] = [];
  model.agent = () => ({ delayMs: 150, then: LIST_TOOLS });
  let stopped: Promise<Response> | undefined;
  let trajectoryId = "";
  await runAgent({ maxTurns: 50 }, (event) => {
    if (event.event === "started") trajectoryId = String(event.data.trajectoryId);
    if (event.event === "step" && !stopped) stopped = post(`/api/agent-runs/${trajectoryId}/stop`, {});
  }).then((all) => events.push(...all));
  assert.ok(stopped);
  const stopResponse = await stopped;
  assert.equal(stopResponse.status, 200, await stopResponse.text());
  const done = events.at(-1)!;
  assert.equal(done.event, "done");
  assert.equal(done.data.status, "stopped");
  assert.ok(Number(done.data.turns) < 50);
  assert.equal(done.data.reward, 0, "nothing renamed: the verifier says no");
  const again = await post(`/api/agent-runs/${trajectoryId}/stop`, {});
  assert.equal(again.status, 409);
});

test("a watcher that leaves (the page reloaded) stops the run as Stop would: it is recorded whole and judged", async () => {
  model.agent = () => ({ delayMs: 150, then: LIST_TOOLS });
  const leave = new AbortController();
  const response = await fetch(`${server.base}/api/agent-runs`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ environment: AGENT_SHOP, taskIdx: RENAME_TASK, settings: { maxTurns: 50 } }),
    signal: leave.signal,
  });
  let trajectoryId = "";
  await readSse(response.body!, ({ event, data }) => {
    if (event === "started") trajectoryId = String((JSON.parse(data) as { trajectoryId: string }).trajectoryId);
    if (event === "step") leave.abort();
  }).catch(() => undefined);
  assert.ok(trajectoryId, "the run started");
  let trajectory = await getTrajectory(trajectoryId);
  for (let attempt = 0; attempt < 100 && trajectory?.agentStatus === "running"; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    trajectory = await getTrajectory(trajectoryId);
  }
  assert.equal(trajectory?.agentStatus, "stopped", `the run ended ${trajectory?.agentStatus}: ${trajectory?.infraError}`);
  assert.equal(trajectory?.verdicts[0]?.classification, "others", "judged, as a stopped run is");
  assert.ok((trajectory?.steps.length ?? 0) >= 1 && (trajectory?.steps.length ?? 0) < 50);
  assert.equal(trajectory?.steps.length, trajectory?.stepCount, "every turn played is recorded");
});

test("a rollout job launched over HTTP reports its grid and which tools were called", async () => {
  model.agent = scriptedEpisode([LIST_TOOLS, callTool("rename_product", { product_id: 1, name: "Blue Mug" }), callTool("report_sales", {})]);
  const wrongTask = await post("/api/rollouts", { environment: AGENT_SHOP, tasks: [99], group: 2, concurrency: 2, settings: {} });
  assert.equal(wrongTask.status, 400);
  assert.match(await wrongTask.text(), /has tasks 0\.\.\d+, not 99/);
  const launched = await post("/api/rollouts", { environment: AGENT_SHOP, tasks: [RENAME_TASK], group: 2, concurrency: 2, settings: { maxTurns: 5 } });
  assert.equal(launched.status, 200);
  const { jobId } = (await launched.json()) as { jobId: string };
  type Results = { report: { summary: { status: string; finished: number }; tasks: { rollouts: { reward: number | null }[]; zeroVariance: boolean }[] }; toolUsage: { all: { tool: string; calls: number; errors: number }[]; byTask: { taskIdx: number; usage: { tool: string; calls: number }[] }[] } };
  let results: Results | undefined;
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await fetch(`${server.base}/api/rollouts/${jobId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    results = (await response.json()) as Results;
    if (results.report.summary.status === "finished") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(results?.report.summary.status, "finished");
  assert.deepEqual(results.report.tasks[0]?.rollouts.map((row) => row.reward), [1, 1]);
  assert.equal(results.report.tasks[0]?.zeroVariance, true);
  const usage = [
    { tool: "list_tools", calls: 2, errors: 0, malformed: 0 },
    { tool: "rename_product", calls: 2, errors: 0, malformed: 0 },
    { tool: "report_sales", calls: 2, errors: 2, malformed: 0 },
  ];
  assert.deepEqual(results.toolUsage.all, usage);
  assert.deepEqual(results.toolUsage.byTask, [{ taskIdx: RENAME_TASK, usage }]);
});
