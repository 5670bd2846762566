/**
 * Limits hold for an instance's whole process tree, not per process: each attack runs in its own
 * tiny environment, and a healthy instance keeps serving throughout. Every attack is bounded on its
 * own (children exit after a few seconds, writes stop at 2 GB), so a failed limit cannot hurt the
 * machine running the test.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { createTreeCgroup, detectCgroups } from "./cgroups.ts";
import type { EnvironmentInstance } from "./instance.ts";
import { describeProtections } from "./protections.ts";
import { episodeCost } from "../instances/capacity.ts";
import { forkBombPython, memoryHogsPython } from "../testing/hostile-python.ts";
import { awmEnvironment, eventually, runtimeTestContext, SHOP_ENVIRONMENT, SHOP_SEED_SQL } from "../testing/runtime-environments.ts";

const context = runtimeTestContext("awm-hostile-limits-");
const MiB = 2 ** 20;

const FORK_BOMB = awmEnvironment(`
import time

@app.post("/fork", operation_id="fork_bomb")
def fork_bomb(count: int = 300, seconds: float = 2):
${forkBombPython("count", "seconds", "    ")}
    return {"started": len(children), "error": error}
`);

const MEMORY_HOGS = awmEnvironment(`
import time

@app.post("/hog", operation_id="hog_children")
def hog_children(children: int = 4, megabytes: int = 600, seconds: float = 3):
${memoryHogsPython("children", "megabytes", "seconds", "    ")}
    return {"statuses": [os.waitpid(pid, 0)[1] for pid in pids]}
`);

const DISK_FILLER = awmEnvironment(`
@app.post("/fill", operation_id="fill")
def fill(folder: str, megabytes: int = 2048):
    chunk = b"x" * (1024 * 1024)
    written = 0
    try:
        for index in range(megabytes):
            with open(os.path.join(folder, f"fill-{index}.bin"), "wb") as handle:
                handle.write(chunk)
            written += 1
    except OSError as error:
        return {"written_mb": written, "error": repr(error)}
    return {"written_mb": written}

@app.post("/fill-one", operation_id="fill_one")
def fill_one(folder: str, megabytes: int = 2048):
    chunk = b"x" * (1024 * 1024)
    written = 0
    target = os.path.join(folder, "one.bin")
    try:
        with open(target, "wb") as handle:
            for _ in range(megabytes):
                handle.write(chunk)
                handle.flush()
                written += 1
    except OSError as error:
        return {"written_mb": written, "error": repr(error)}
    finally:
        os.remove(target)
    return {"written_mb": written}
`);

const PROCESS_CAP = 64;
const DISK_CAP = 64 * MiB;
const TMP_CAP = 32 * MiB;

let seedDb: string;
let healthy: EnvironmentInstance;

before(async () => {
  seedDb = context.seedDatabase(SHOP_SEED_SQL);
  healthy = await context.start(SHOP_ENVIRONMENT, seedDb);
});
after(() => context.cleanup());

async function assertHealthyStillServes() {
  const answer = await healthy.callTool("get_product", { product_id: 1 });
  assert.deepEqual([healthy.status, answer.status, (answer.body as { name?: string }).name], ["running", 200, "Mug"]);
}

const MEMORY_IN_A_CHILD = awmEnvironment(`
import time

@app.post("/hold", operation_id="hold_in_child")
def hold_in_child(megabytes: int = 300, seconds: float = 30):
    ready_read, ready_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        block = bytearray(megabytes * 1024 * 1024)
        for index in range(0, len(block), 4096):
            block[index] = 1
        os.write(ready_write, b"r")
        time.sleep(seconds)
        os._exit(0)
    os.read(ready_read, 1)
    return {"child": pid}
`);

describe("limits on a whole instance", () => {
  const cpuController = (() => {
    const cgroups = detectCgroups();
    return cgroups.available && cgroups.cpuDir !== undefined;
  })();
  test("a tree that spins on two cores is held to one: the kernel throttles it at its CPU quota", { skip: !cpuController && "the cpu cgroup controller is not writable here" }, async () => {
    const group = createTreeCgroup({ memoryBytes: 256 * MiB, maxProcesses: 16 });
    assert.ok(group, "cgroups are writable here");
    const [file, ...args] = group.joinCommand(["/bin/sh", "-c", "while :; do :; done & while :; do :; done & wait"]) as [string, ...string[]];
    const spinner = spawn(file, args, { stdio: "ignore" });
    // Spins until the kernel throttles it, for at most 15 s: on a machine busy with other tests the
    // two spinners may take a while to get both cores within one period.
    const deadline = Date.now() + 15_000;
    while ((group.usage().cpuThrottled ?? 0) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    spinner.kill("SIGKILL");
    const usage = await group.release();
    assert.ok((usage.cpuThrottled ?? 0) > 0, `throttled in ${usage.cpuThrottled ?? "no"} periods`);
  });


  test("what an episode's child holds counts in the episode's cost, so the instance cap cannot be gamed by forking", async () => {
    const holder = await context.start(MEMORY_IN_A_CHILD, seedDb);
    const answer = await holder.callTool("hold_in_child", { megabytes: 300, seconds: 30 });
    assert.equal(answer.ok, true, JSON.stringify(answer.body));
    // A later `now` reads afresh rather than the cached figure.
    const cost = episodeCost(Date.now() + 60_000);
    // The mean over the live episodes (others run beside it): all of them together hold the child's 300 MiB.
    assert.ok(cost.bytes * cost.measuredOn > 250 * MiB, `episodes cost ${Math.round(cost.bytes / MiB)} MiB each, measured on ${cost.measuredOn}`);
    await holder.stop();
  });


  test("this machine enforces them with cgroups (CI runs as root with writable pids and memory)", () => {
    const cgroups = detectCgroups();
    assert.equal(cgroups.available, true, cgroups.available ? "" : cgroups.reason);
    const protections = describeProtections();
    // The CPU quota needs the cpu controller too, which a machine may not delegate: checked where it is.
    const cpu = cgroups.available && cgroups.cpuDir !== undefined ? ["CPU of the process tree"] : [];
    for (const name of ["processes", "memory of the process tree", ...cpu, "size of /tmp", "size of the instance folder"]) {
      const protection = protections.limits.find((limit) => limit.name === name);
      assert.equal(protection?.enforced, true, JSON.stringify(protection));
    }
  });

  test("a fork bomb of 300 processes stops at the process cap, and other instances keep serving", async () => {
    const bomber = await context.start(FORK_BOMB, seedDb, { limits: { maxProcesses: PROCESS_CAP } });
    const bomb = bomber.callTool("fork_bomb", { count: 300, seconds: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await assertHealthyStillServes();
    const answer = (await bomb).body as { started: number; error: string | null };
    assert.ok(answer.started < PROCESS_CAP, `started ${answer.started} processes under a cap of ${PROCESS_CAP}`);
    assert.match(answer.error ?? "", /BlockingIOError|Resource temporarily unavailable/);
    assert.equal(bomber.status, "running", "a refused fork is an error the code sees, not a crash");
    await assertHealthyStillServes();
  });

  test("4 children of 600 MB each stop at the tree's 1 GiB limit, reported as out of memory", async () => {
    const limit = 1024 * MiB;
    const hog = await context.start(MEMORY_HOGS, seedDb, { limits: { memoryBytes: limit } });
    await assert.rejects(hog.callTool("hog_children", { children: 4, megabytes: 600, seconds: 3 }), /hog_children failed: instance crashed \(out of memory: the process tree reached its 1024 MiB limit/);
    await hog.exited;
    assert.equal(hog.status, "crashed");
    assert.match(hog.exitReason ?? "", /^out of memory: the process tree reached its 1024 MiB limit and the kernel killed \d+ of its processes$/);
    assert.ok(hog.usage && hog.usage.oomKills > 0, JSON.stringify(hog.usage));
    if (hog.usage.peakMemoryBytes !== undefined) assert.ok(hog.usage.peakMemoryBytes <= limit, `peak ${hog.usage.peakMemoryBytes} within ${limit}`);
    assert.equal(fs.existsSync(hog.dir), false, "a crashed instance's folder is removed too");
    await assertHealthyStillServes();
  });

  test("2 GB written to /tmp or to the episode folder stop at their caps; the instance keeps serving", async () => {
    const filler = await context.start(DISK_FILLER, seedDb, { limits: { diskBytes: DISK_CAP, tmpBytes: TMP_CAP } });
    const cases = [
      { tool: "fill_one", folder: "/episode", cap: DISK_CAP },
      { tool: "fill", folder: "/tmp", cap: TMP_CAP },
      { tool: "fill", folder: "/episode", cap: DISK_CAP },
    ];
    for (const { tool, folder, cap } of cases) {
      const answer = (await filler.callTool(tool, { folder, megabytes: 2048 })).body as { written_mb: number; error?: string };
      assert.ok(answer.written_mb * MiB <= cap, `${tool} into ${folder}: ${answer.written_mb} MB written under a cap of ${cap / MiB} MiB`);
      assert.match(answer.error ?? "", /No space left on device|File too large/, `${tool} into ${folder}: ${JSON.stringify(answer)}`);
    }
    assert.equal(filler.status, "running");
    assert.equal((await filler.callTool("fill", { folder: "/tmp", megabytes: 1 })).status, 200, "the instance still answers");
    await assertHealthyStillServes();
  });

  test("a stopped instance's folder is removed", async () => {
    const instance = await context.start(SHOP_ENVIRONMENT, seedDb);
    assert.ok(fs.existsSync(instance.dir));
    await instance.stop();
    assert.equal(fs.existsSync(instance.dir), false);
  });

  test("a killed instance is reported with the signal that killed it", async () => {
    const victim = await context.start(SHOP_ENVIRONMENT, seedDb);
    const python = victim.pythonPid();
    assert.ok(python, "the Python process is found");
    process.kill(python, "SIGKILL");
    // Polled, not awaited: an idle host's channel does not keep this process alive, so a bare await could see the event loop empty before the report arrives.
    await eventually(() => victim.status !== "running", 10_000);
    assert.deepEqual([victim.status, victim.exitReason], ["crashed", "killed by SIGKILL"]);
    await eventually(() => !fs.existsSync(victim.dir));
    assert.equal(fs.existsSync(victim.dir), false);
    await assertHealthyStillServes();
  });
});
