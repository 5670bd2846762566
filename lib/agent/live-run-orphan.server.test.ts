/**
 * A live agent run whose studio process is killed mid-run does not stay "running" forever: the next
 * read of trajectories ends it as an infrastructure failure, its steps kept. A run whose process is
 * alive is left alone, and a process that only has the same pid (a restarted container's) is not
 * taken for the one that played it.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { projectRoot } from "../config/paths.ts";
import type { AgentModel } from "../testing/agent-shop.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-live-orphan-");
const { AGENT_SHOP, RENAME_TASK, callTool, startAgentModel, turnOf } = await import("../testing/agent-shop.ts");
const { endOrphanedLiveRuns } = await import("./live-run.ts");
const { createTrajectory, getTrajectory } = await import("../trajectories/store.ts");
const { studioDb } = await import("../store/db.ts");

let model: AgentModel;
before(async () => {
  model = await startAgentModel();
});
after(() => model.close());

/** A studio-like process of its own playing one live run (the route's call), until it is killed. */
function playLiveRunElsewhere() {
  const script = `
    const { runAgentLive } = await import(${JSON.stringify(path.join(projectRoot(), "lib/agent/live-run.ts"))});
    const { agentSettings } = await import(${JSON.stringify(path.join(projectRoot(), "lib/agent/settings.ts"))});
    await runAgentLive({ environment: ${JSON.stringify(AGENT_SHOP)}, taskIdx: ${RENAME_TASK}, settings: agentSettings() }, { started() {}, step() {} });`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: projectRoot(),
    env: { ...process.env, AWM_STUDIO_HOME: home },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exit = new Promise<{ signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.once("close", (_code, signal) => resolve({ signal, stderr })));
  return { child, exit };
}

async function runningLiveRun(): Promise<string> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const row = await studioDb().trajectory.findFirst({ where: { source: "agent", agentStatus: "running", stepCount: { gt: 0 } }, select: { id: true } });
    if (row) return row.id;
  }
  throw new Error("no live run with a step recorded within 30 s");
}

test("a live run whose process was killed mid-run ends as an infrastructure failure; a live one is left running", { timeout: 90_000 }, async () => {
  // Turn 0 renames; turn 1 never answers: the run waits on its model while we look, then is killed.
  let waiting!: () => void;
  const atTurnOne = new Promise<void>((resolve) => (waiting = resolve));
  model.agent = (request) => {
    if (turnOf(request).turn === 0) return callTool("rename_product", { product_id: 1, name: "Blue Mug" });
    waiting();
    return { hang: true };
  };
  const elsewhere = playLiveRunElsewhere();
  await Promise.race([atTurnOne, elsewhere.exit.then(({ stderr }) => assert.fail(`the run ended before its second turn:\n${stderr}`))]);
  const id = await runningLiveRun();

  assert.deepEqual(await endOrphanedLiveRuns(), [], "its process is alive: the run is left running");
  assert.equal((await getTrajectory(id))?.agentStatus, "running");

  elsewhere.child.kill("SIGKILL");
  assert.equal((await elsewhere.exit).signal, "SIGKILL");
  assert.deepEqual(await endOrphanedLiveRuns(), [id]);
  const ended = await getTrajectory(id);
  assert.equal(ended?.agentStatus, "infra_failure");
  assert.equal(ended?.infraError, `the studio process that played it (pid ${elsewhere.child.pid}) ended before the run did`);
  assert.equal(ended?.steps.filter((step) => step.toolName === "rename_product").length, 1, "the steps it played are kept");
  assert.equal(ended?.verdicts.length, 0, "no verdict: the run was never judged");
  assert.deepEqual(await endOrphanedLiveRuns(), [], "ended once");
});

test("a run left by an earlier process with this one's pid (a restarted container) is ended all the same", async () => {
  const earlier = JSON.stringify({ host: os.hostname(), pid: process.pid, heartbeatAt: new Date().toISOString(), process: "an-earlier-process" });
  const { id } = await createTrajectory({ environmentName: AGENT_SHOP, taskIdx: RENAME_TASK, task: "t", source: "agent", agentOwner: earlier });
  assert.deepEqual(await endOrphanedLiveRuns(), [id]);
  assert.match((await getTrajectory(id))?.infraError ?? "", new RegExp(`pid ${process.pid}\\) ended before the run did`));
});
