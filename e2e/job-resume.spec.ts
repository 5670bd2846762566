import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { studioServerCommand } from "../scripts/lib/process.mjs";
import { readStudioToken, studioTokenFile } from "../lib/http/studio-token.ts";
import { startScriptedLlm, type ScriptedLlm } from "../lib/testing/scripted-llm.ts";
import { callTool, finalAnswer, turnOf } from "../lib/testing/agent-shop.ts";

// A studio of its own (its own home and port), killed with SIGKILL in the middle of a rollout job and
// started again: the job must go on by itself, with no page opened, and keep the rollouts it had finished.
const LIBRARY = "maple_street_library_lending_desk";
const root = process.env.AWM_STUDIO_ROOT ?? process.cwd();

interface Report {
  status?: string;
  summary: { status: string; episodes: number; finished: number };
  tasks: { rollouts: { rollout: number; trajectoryId: string | null }[] }[];
}

let home: string;
let llm: ScriptedLlm;
let server: ChildProcess | undefined;

function cli(...args: string[]): string {
  return execFileSync(process.execPath, [path.join(root, "bin", "awm-studio.mjs"), ...args], { env: { ...process.env, AWM_STUDIO_HOME: home }, encoding: "utf8" });
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts the studio on `port` and resolves once it answers. */
async function startStudio(port: number): Promise<ChildProcess> {
  const [command, args] = studioServerCommand(port);
  const env = { ...process.env, AWM_STUDIO_HOME: home, OPENAI_BASE_URL: llm.baseUrl, OPENAI_API_KEY: "scripted", AWM_STUDIO_AGENT_MODEL: "scripted" };
  const child = spawn(command, args, { env, stdio: "ignore", detached: true });
  await expect(async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/api/environments`, { headers: { authorization: `Bearer ${readStudioToken(studioTokenFile(home))}` } });
    expect(answer.status).toBe(200);
  }).toPass({ timeout: 60_000 });
  return child;
}

/** What the job's record says, read from the studio's database by the CLI (it resumes nothing). */
function report(jobId: string): Report {
  return JSON.parse(cli("rollout", "--report", jobId, "--json")) as Report;
}

function finishedIds(of: Report): string[] {
  return of.tasks.flatMap((task) => task.rollouts.map((rollout) => rollout.trajectoryId)).filter((id): id is string => id !== null);
}

test.beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "awm-job-resume-"));
  cli("import", path.join(root, "library"), "--skip-verifier-health");
  // A second a turn: the job is still playing when the studio is killed.
  llm = await startScriptedLlm(async (request) => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return turnOf(request).turn === 0 ? callTool("search_books", { q: "harbor" }) : finalAnswer();
  });
});

test.afterAll(async () => {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
  await llm?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

test("a rollout job whose studio was killed resumes when the studio starts again, keeping its finished rollouts", async () => {
  test.setTimeout(240_000);
  const port = await freePort();
  server = await startStudio(port);
  const launched = await fetch(`http://127.0.0.1:${port}/api/rollouts`, {
    method: "POST",
    headers: { authorization: `Bearer ${readStudioToken(studioTokenFile(home))}`, "content-type": "application/json" },
    body: JSON.stringify({ environment: LIBRARY, tasks: [0], group: 8, concurrency: 2, settings: {} }),
  });
  expect(launched.status).toBe(200);
  const { jobId } = (await launched.json()) as { jobId: string };
  await expect(() => expect(report(jobId).summary.finished).toBeGreaterThanOrEqual(2)).toPass({ timeout: 60_000 });

  process.kill(-server.pid!, "SIGKILL");
  await new Promise((resolve) => server!.once("exit", resolve));
  const before = report(jobId);
  expect(before.summary.finished).toBeLessThan(8);
  const keptIds = finishedIds(before);

  server = await startStudio(port);
  await expect(() => expect(report(jobId).summary.status).toBe("finished")).toPass({ timeout: 120_000, intervals: [1_000] });
  const after = report(jobId);
  expect(after.summary.finished).toBe(8);
  for (const id of keptIds) expect(finishedIds(after)).toContain(id);
});
