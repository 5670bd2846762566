/**
 * AWM's own way to serve an environment, as the reference: a fresh `uvicorn` process of the
 * generated code per episode, on a TCP loopback port, working on a fresh copy of the seed database
 * (DATABASE_PATH=sqlite:///<copy>). No sandbox, no compatibility layer, no reset route.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { exactEnv } from "../lib/runtime/sandbox.ts";
import type { ToolRequest } from "../lib/runtime/tool-catalog.ts";
import { freeLoopbackPort } from "./free-port.ts";

const PYTHON = "/usr/bin/python3";
const MODULE = "awm_server";
const START_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 10;
const TAIL_CHARS = 4_000;

// argv: folder holding awm_server.py, port. `python server.py` would run the file's own
// `uvicorn.run(app, port=8000)`; importing it and serving `app` here picks the port.
const SERVE = `
import sys
import uvicorn
sys.path.insert(0, sys.argv[1])
import ${MODULE}
uvicorn.run(${MODULE}.app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
`;

export interface AwmProcess {
  url: string;
  pid: number | undefined;
  request(request: ToolRequest): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

/** Writes the environment's code once into `dir`; each `start` then serves it on a fresh database copy. */
export function awmEnvironmentFolder(code: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${MODULE}.py`), code);
  return dir;
}

/** Copies the seed database, starts uvicorn on a free port and resolves once GET /openapi.json answers. */
export async function startAwmProcess(dir: string, seedDbFile: string): Promise<AwmProcess> {
  const database = path.join(dir, "episode.db");
  fs.copyFileSync(seedDbFile, database);
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(PYTHON, ["-B", "-c", SERVE, dir, String(port)], {
    cwd: dir,
    env: exactEnv({ PATH: "/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8", PYTHONDONTWRITEBYTECODE: "1", DATABASE_PATH: `sqlite:///${database}` }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const record = (chunk: Buffer) => (tail = (tail + chunk.toString("utf8")).slice(-TAIL_CHARS));
  child.stdout.on("data", record);
  child.stderr.on("data", record);
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const stop = async () => {
    agent.destroy();
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  try {
    await waitUntilServing(url, child, agent, () => tail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: child.pid, request: (request) => tcpRequest(url, request, agent), stop };
}

async function waitUntilServing(url: string, child: ChildProcess, agent: http.Agent, tail: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`uvicorn for ${url} exited with code ${child.exitCode}\n--- stderr (tail) ---\n${tail()}`);
    const answer = await tcpRequest(url, { method: "GET", url: "/openapi.json", headers: {} }, agent).catch(() => undefined);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`uvicorn did not serve ${url}/openapi.json within ${START_TIMEOUT_MS} ms\n--- stderr (tail) ---\n${tail()}`);
}

function tcpRequest(base: string, request: ToolRequest, agent: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers["content-length"] = Buffer.byteLength(request.body);
    const outgoing = http.request(`${base}${request.url}`, { method: request.method, headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    outgoing.on("error", (error) => reject(new Error(`${request.method} ${base}${request.url} failed: ${error.message}`, { cause: error })));
    outgoing.end(request.body);
  });
}
