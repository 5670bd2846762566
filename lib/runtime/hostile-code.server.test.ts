/**
 * Environment code is untrusted: each hostile behaviour runs in its own tiny environment, and a
 * healthy instance must keep serving whatever the others do.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { InstanceStartError, type EnvironmentInstance } from "./instance.ts";
import { projectRoot } from "../config/paths.ts";
import { awmEnvironment, eventually, isAlive, runtimeTestContext, SHOP_ENVIRONMENT, SHOP_SEED_SQL } from "../testing/runtime-environments.ts";

const context = runtimeTestContext("awm-hostile-test-");

const FILE_READER = awmEnvironment(`
@app.get("/read", operation_id="read_file")
def read_file(path: str):
    try:
        with open(path, "rb") as handle:
            return {"read": True, "bytes": len(handle.read(4096))}
    except Exception as error:
        return {"read": False, "error": repr(error)}

@app.get("/capabilities", operation_id="capabilities")
def capabilities():
    with open("/proc/self/status") as handle:
        return {line.split(":")[0]: line.split(":")[1].strip() for line in handle if line.startswith("Cap")}

@app.get("/list", operation_id="list_dir")
def list_dir(path: str):
    try:
        return {"entries": sorted(os.listdir(path))}
    except Exception as error:
        return {"error": repr(error)}
`);

const NETWORK_USER = awmEnvironment(`
import socket

@app.get("/connect", operation_id="connect")
def connect(host: str, port: int):
    try:
        socket.create_connection((host, port), timeout=2).close()
        return {"connected": True}
    except Exception as error:
        return {"connected": False, "error": repr(error)}
`);

const ENDLESS_LOOP = awmEnvironment(`
@app.post("/spin", operation_id="spin")
async def spin():
    while True:
        pass
`);

/** Answers, then blocks its event loop from a background task: the next request (a snapshot) hangs. */
const LOOP_AFTER_ANSWER = awmEnvironment(`
from fastapi import BackgroundTasks

async def spin_forever():
    while True:
        pass

@app.post("/spin-later", operation_id="spin_later")
def spin_later(background: BackgroundTasks):
    background.add_task(spin_forever)
    return {"spinning": "soon"}
`);

const MEMORY_BOMB = awmEnvironment(`
@app.post("/hoard", operation_id="hoard")
def hoard():
    blocks = []
    while True:
        blocks.append(bytearray(64 * 1024 * 1024))
`);

const SUDDEN_EXIT = awmEnvironment(`
@app.post("/quit", operation_id="quit")
def quit():
    os._exit(9)
`);

const IMPORT_CRASH = awmEnvironment(`
class Broken(Base):
    __tablename__ = "broken"
    id = Column(Integer, primary_key=True)

raise RuntimeError("cannot build the catalogue at import")
`);

const BOMB_LIMIT_BYTES = 512 * 2 ** 20;

let healthy: EnvironmentInstance;
let reader: EnvironmentInstance;
let networker: EnvironmentInstance;
let spinner: EnvironmentInstance;
let lateSpinner: EnvironmentInstance;
let bomber: EnvironmentInstance;
let quitter: EnvironmentInstance;
let seedDb: string;

before(async () => {
  seedDb = context.seedDatabase(SHOP_SEED_SQL);
  [healthy, reader, networker, spinner, lateSpinner, bomber, quitter] = await Promise.all([
    context.start(SHOP_ENVIRONMENT, seedDb),
    context.start(FILE_READER, seedDb),
    context.start(NETWORK_USER, seedDb),
    context.start(ENDLESS_LOOP, seedDb, { limits: { callTimeoutMs: 1_000 } }),
    context.start(LOOP_AFTER_ANSWER, seedDb, { limits: { callTimeoutMs: 1_000 } }),
    context.start(MEMORY_BOMB, seedDb, { limits: { memoryBytes: BOMB_LIMIT_BYTES } }),
    context.start(SUDDEN_EXIT, seedDb),
  ]);
});
after(() => context.cleanup());

async function assertHealthyStillServes() {
  const answer = await healthy.callTool("get_product", { product_id: 1 });
  assert.deepEqual([healthy.status, answer.status, (answer.body as { name?: string }).name], ["running", 200, "Mug"]);
}

describe("hostile environment code", () => {
  test("cannot read files outside its instance folder", async () => {
    const secretDir = fs.mkdtempSync(path.join(context.root, "studio-home-"));
    const secret = path.join(secretDir, "studio.db");
    fs.writeFileSync(secret, "private");
    const outside = [secret, path.join(projectRoot(), "package.json"), "/work/shared/AWM.md", "/etc/shadow", "/root/.bashrc"].filter((file) => fs.existsSync(file));
    assert.ok(outside.length >= 3, "enough host files to try");
    for (const file of outside) {
      const answer = await reader.callTool("read_file", { path: file });
      assert.equal((answer.body as { read: boolean }).read, false, `${file} was readable: ${JSON.stringify(answer.body)}`);
    }
    // Its own folder stays readable (the same call can succeed).
    assert.equal(((await reader.callTool("read_file", { path: "/opt/awm-code/env.py" })).body as { read: boolean }).read, true);
    const root = (await reader.callTool("list_dir", { path: "/" })).body as { entries: string[] };
    assert.equal(root.entries.includes("work"), false, JSON.stringify(root));
    assert.equal(root.entries.includes("root"), false, JSON.stringify(root));
    await assertHealthyStillServes();
  });

  test("keeps none of root's capabilities, even when the studio runs as root", async () => {
    const caps = (await reader.callTool("capabilities", {})).body as Record<string, string>;
    assert.equal(caps.CapEff, "0000000000000000", JSON.stringify(caps));
    assert.equal(caps.CapPrm, "0000000000000000", JSON.stringify(caps));
    assert.equal(caps.CapBnd, "0000000000000000", JSON.stringify(caps));
  });

  test("cannot open network connections, not even to the studio's loopback", async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const local = (await networker.callTool("connect", { host: "127.0.0.1", port })).body as { connected: boolean; error?: string };
      assert.equal(local.connected, false, JSON.stringify(local));
      const remote = (await networker.callTool("connect", { host: "1.1.1.1", port: 53 })).body as { connected: boolean; error?: string };
      assert.equal(remote.connected, false, JSON.stringify(remote));
    } finally {
      server.close();
    }
    await assertHealthyStillServes();
  });

  test("an endless loop hits the call timeout; the instance is stopped and says why", async () => {
    const python = spinner.pythonPid();
    assert.ok(python, "the Python process is found");
    await assert.rejects(spinner.callTool("spin"), /tool call spin exceeded 1000 ms/);
    await eventually(() => !isAlive(python));
    assert.equal(isAlive(python), false, "the spinning Python process is gone");
    assert.equal(spinner.status, "crashed");
    assert.equal(spinner.exitReason, "tool call spin exceeded 1000 ms");
    await assert.rejects(spinner.callTool("spin"), /instance is crashed \(tool call spin exceeded 1000 ms\)/);
    await assertHealthyStillServes();
  });

  test("a snapshot that hangs (the code blocked its loop after answering) is stopped like a hung call", async () => {
    assert.equal((await lateSpinner.callTool("spin_later")).status, 200);
    await assert.rejects(lateSpinner.snapshot(path.join(context.root, "late-spinner.db")), /snapshot exceeded 1000 ms; the instance was stopped/);
    assert.deepEqual([lateSpinner.status, lateSpinner.exitReason], ["crashed", "snapshot exceeded 1000 ms"]);
    assert.equal(fs.existsSync(path.join(context.root, "late-spinner.db")), false, "no partial snapshot is left");
    await assertHealthyStillServes();
  });

  test("a memory bomb is stopped at the memory limit", async () => {
    const answer = await bomber.callTool("hoard");
    assert.equal(answer.ok, false);
    assert.equal(answer.status, 500);
    // The launcher logs the traceback to stderr as well as answering it.
    await eventually(() => /MemoryError/.test(bomber.stderrTail()));
    assert.match(bomber.stderrTail(), /MemoryError/);
    const rss = bomber.residentMemoryBytes();
    if (rss !== undefined) assert.ok(rss < BOMB_LIMIT_BYTES, `VmRSS ${rss} under the limit`);
    await assertHealthyStillServes();
  });

  test("a process that dies during a call is reported crashed with its exit code", async () => {
    await assert.rejects(quitter.callTool("quit"), /tool call quit failed: instance crashed \(exited with code 9\)/);
    assert.deepEqual([quitter.status, quitter.exitReason], ["crashed", "exited with code 9"]);
    await assertHealthyStillServes();
  });

  test("a crash at import fails the start with the error and its traceback", async () => {
    const failure = await context.start(IMPORT_CRASH, seedDb).then(
      () => assert.fail("start should fail"),
      (error: unknown) => error,
    );
    assert.ok(failure instanceof InstanceStartError);
    assert.match(failure.message, /failed to start: exited with code 3/);
    assert.match(failure.stderrTail, /RuntimeError: cannot build the catalogue at import/);
    assert.match(failure.stderrTail, /File "\/opt\/awm-code\/env\.py", line \d+/);
    await assertHealthyStillServes();
  });
});
