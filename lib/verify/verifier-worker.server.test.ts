import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { defaultPython } from "../runtime/python-runtime.ts";
import type { VerifierJob } from "./job-staging.ts";
import { noneRunningOrOurs, processState, processTree, waitUntil } from "../testing/process-tree.ts";
import { DEFAULT_VERIFIER_MEMORY_BYTES } from "./run-verifier.ts";
import { VerifierWorker, type RawRun } from "./verifier-worker.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-verifier-worker-test-"));
const db = path.join(dir, "shop.db");

const job = (body: string): VerifierJob => ({
  code: `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n${body.replace(/^/gm, "    ")}\n`,
  mode: "code",
  initialDbFile: db,
  finalDbFile: db,
});
const COUNT_ROWS = job(`return {"result": "complete", "rows": sqlite3.connect(final_db_path).execute("SELECT COUNT(*) FROM products").fetchone()[0]}`);

const newWorker = (idleShutdownMs?: number) =>
  new VerifierWorker({ python: defaultPython(), memoryBytes: DEFAULT_VERIFIER_MEMORY_BYTES, allowUnsandboxed: false, idleShutdownMs });

const outputOf = (run: RawRun | undefined) => {
  assert.ok(run?.ok, run && !run.ok ? run.error : "no run");
  return run.output as Record<string, unknown>;
};
const errorOf = (run: RawRun | undefined) => {
  assert.ok(run && !run.ok, `expected an error, got ${JSON.stringify(run)}`);
  return run.error;
};

before(() => {
  const seed = new Database(db);
  seed.exec("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO products (name) VALUES ('Mug'), ('Tea Pot');");
  seed.close();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("verifier worker", () => {
  test("a verifier that kills the worker fails with the crash and stderr tail; the next job runs on a new worker", async () => {
    const worker = newWorker();
    outputOf((await worker.run([COUNT_ROWS], 5_000))[0]);
    const firstPid = worker.pid;
    const [crashed, next] = await worker.run(
      [job(`import signal, sys\nprint("going down now", file=sys.stderr)\nos.kill(os.getppid(), signal.SIGKILL)\nreturn {"result": "others"}`), COUNT_ROWS],
      5_000,
    );
    const error = errorOf(crashed);
    assert.match(error, /^the verifier worker was killed by signal 9 .*while running this verifier/);
    assert.match(error, /--- stderr \(tail\) ---\ngoing down now/);
    assert.deepEqual(outputOf(next), { result: "complete", rows: 2 });
    assert.notEqual(worker.pid, firstPid);
    assert.deepEqual(outputOf((await worker.run([COUNT_ROWS], 5_000))[0]), { result: "complete", rows: 2 });
  });

  test("a hanging verifier times out without holding up the job queued behind it", async () => {
    const worker = newWorker();
    const hang = worker.run([job("import time\nwhile True:\n    try:\n        time.sleep(5)\n    except BaseException:\n        pass")], 500);
    const queued = worker.run([COUNT_ROWS], 5_000);
    assert.equal(errorOf((await hang)[0]), "timed out after 0.5 s");
    assert.deepEqual(outputOf((await queued)[0]), { result: "complete", rows: 2 });
  });

  test("a verifier that freezes the worker itself is cut off by the watchdog; the next job still runs", async () => {
    const worker = newWorker();
    const [frozen, next] = await worker.run([job("import signal\nos.kill(os.getppid(), signal.SIGSTOP)\nreturn {'result': 'others'}"), COUNT_ROWS], 300);
    assert.equal(errorOf(frozen), "timed out after 0.3 s (the verifier worker did not answer and was killed)");
    assert.deepEqual(outputOf(next), { result: "complete", rows: 2 });
  });

  test("a verifier cannot write the database or its folder, open a socket, or trace the worker", async () => {
    const server = net.createServer((socket) => socket.end("hello"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const worker = newWorker();
      const runs = await worker.run(
        [
          COUNT_ROWS,
          job(`conn = sqlite3.connect(final_db_path)\nconn.execute("DELETE FROM products")\nconn.commit()\nreturn {"result": "complete"}`),
          job(`open(os.path.join(os.path.dirname(final_db_path), "planted.db"), "w").write("x")\nreturn {"result": "complete"}`),
          job(`import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=2).recv(5)\nreturn {"result": "complete"}`),
          job(`import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nif libc.ptrace(16, os.getppid(), 0, 0) != 0:\n    raise PermissionError(ctypes.get_errno(), "ptrace refused")\nreturn {"result": "complete"}`),
        ],
        5_000,
      );
      assert.deepEqual(outputOf(runs[0]), { result: "complete", rows: 2 });
      assert.match(errorOf(runs[1]), /attempt to write a readonly database/);
      assert.match(errorOf(runs[2]), /Read-only file system|Permission denied/);
      assert.match(errorOf(runs[3]), /ConnectionRefusedError|Network is unreachable|OSError/);
      assert.match(errorOf(runs[4]), /PermissionError: \[Errno 1\] ptrace refused/);
      const rows = new Database(db, { readonly: true }).prepare("SELECT COUNT(*) AS n FROM products").get() as { n: number };
      assert.equal(rows.n, 2);
    } finally {
      server.close();
    }
  });

  test("what a verifier leaves behind (files in /tmp, folders it locked, background processes) is gone before the next one", async () => {
    const worker = newWorker();
    const [left, next] = await worker.run(
      [
        job(
          `open("/tmp/planted", "w").write("x")\nos.makedirs("/tmp/locked/inner")\nopen("/tmp/locked/inner/kept", "w").write("x")\nfor folder in ("/tmp/locked/inner", "/tmp/locked", "/tmp"):\n    os.chmod(folder, 0)\nif os.fork() == 0:\n    os.setsid()\n    import time\n    time.sleep(60)\nreturn {"result": "others"}`,
        ),
        job(`others = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getppid(), os.getpid())]\nreturn {"result": "others", "tmp": os.listdir("/tmp"), "processes": others}`),
      ],
      5_000,
    );
    outputOf(left);
    assert.deepEqual(outputOf(next), { result: "others", tmp: [], processes: [] });
  });

  test("a verifier leaves nothing in the sandbox's root, /dev or System V IPC; a made child of the worker is reaped", async () => {
    const worker = newWorker();
    const [left, next] = await worker.run(
      [
        job(
          [
            `import ctypes`,
            `libc = ctypes.CDLL(None, use_errno=True)`,
            `written = []`,
            `for path in ("/planted", "/dev/planted", "/dev/shm/planted"):`,
            `    try:`,
            `        open(path, "w").write("x")`,
            `        written.append(path)`,
            `    except OSError:`,
            `        pass`,
            `segment = libc.shmget(0x41574D, 4096, 0o1000 | 0o2000 | 0o600)  # IPC_CREAT | IPC_EXCL`,
            `# clone(CLONE_PARENT | SIGCHLD): a child of the worker, not of this job; it exits at once.`,
            `if libc.syscall(56, 0x8000 | 17, 0, 0, 0, 0) == 0:`,
            `    os._exit(0)`,
            `return {"result": "others", "written": written, "segment": segment >= 0}`,
          ].join("\n"),
        ),
        job(
          `import ctypes\nfound = ctypes.CDLL(None).shmget(0x41574D, 4096, 0)\nothers = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getppid(), os.getpid())]\nreturn {"result": "others", "segment": found >= 0, "processes": others}`,
        ),
      ],
      5_000,
    );
    assert.deepEqual(outputOf(left), { result: "others", written: [], segment: true });
    assert.deepEqual(outputOf(next), { result: "others", segment: false, processes: [] });
  });

  test("a verifier's sockets go with it: no loopback connection of one (even in TIME_WAIT) is there for the next", async () => {
    const worker = newWorker();
    const [left, next] = await worker.run(
      [
        job(
          [
            `import socket`,
            `try:`,
            `    server = socket.create_server(("127.0.0.1", 0))`,
            `    client = socket.create_connection(server.getsockname(), timeout=1)`,
            `    accepted, _ = server.accept()`,
            `    accepted.close()  # the side that closes first keeps the connection in TIME_WAIT`,
            `    client.close()`,
            `    server.close()`,
            `except OSError:`,
            `    pass`,
            `return {"result": "others"}`,
          ].join("\n"),
        ),
        job(`return {"result": "others", "tcp": open("/proc/net/tcp").read().splitlines()[1:]}`),
      ],
      5_000,
    );
    outputOf(left);
    assert.deepEqual(outputOf(next), { result: "others", tcp: [] });
  });

  test("a verifier that leaves what cannot be cleared (a locked folder nested past the longest path) retires its worker: the next job runs on a new one", async () => {
    const worker = newWorker();
    outputOf((await worker.run([COUNT_ROWS], 5_000))[0]);
    const firstPid = worker.pid;
    const deep = job(`os.chdir("/tmp")\nfor _ in range(20):\n    os.mkdir("d" * 250)\n    os.chdir("d" * 250)\nos.mkdir("locked")\nopen("locked/secret", "w").write("x")\nos.chmod("locked", 0)\nreturn {"result": "others"}`);
    const listTmp = job(`return {"result": "others", "tmp": os.listdir("/tmp")}`);
    // Alone in its batch (as verifiers are sent), then within one.
    outputOf((await worker.run([deep], 5_000))[0]);
    assert.deepEqual(outputOf((await worker.run([listTmp], 5_000))[0]), { result: "others", tmp: [] });
    const secondPid = worker.pid;
    assert.notEqual(secondPid, firstPid, "the job after it ran on a new worker");
    const [left, next] = await worker.run([deep, listTmp], 5_000);
    outputOf(left);
    assert.deepEqual(outputOf(next), { result: "others", tmp: [] });
    assert.notEqual(worker.pid, secondPid);
  });

  test("a verifier cannot retire its worker by saying so: the worker alone sets that", { timeout: 30_000 }, async () => {
    const worker = newWorker();
    outputOf((await worker.run([COUNT_ROWS], 5_000))[0]);
    const pid = worker.pid;
    const forged = job(
      [
        `import json`,
        `payload = json.dumps({"retiring": "forged", "ok": True, "output": {"result": "others"}, "py_type": "dict"}).encode()`,
        `for fd in range(3, 64):`,
        `    try:`,
        `        os.write(fd, len(payload).to_bytes(8, "big") + payload)`,
        `    except OSError:`,
        `        pass`,
        `os._exit(0)`,
      ].join("\n"),
    );
    const [run] = await worker.run([forged], 5_000);
    assert.deepEqual(outputOf(run), { result: "others" });
    assert.deepEqual(outputOf((await worker.run([COUNT_ROWS], 5_000))[0]), { result: "complete", rows: 2 });
    assert.equal(worker.pid, pid, "the same worker took the next job");
  });

  test("a verifier has no capability and cannot gain one, even when the studio runs as root", async () => {
    const worker = newWorker();
    const [run] = await worker.run([job(`status = dict(line.split(":\\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\\t" in line)\nreturn {key: status[key].strip() for key in ("CapEff", "CapPrm", "CapBnd", "NoNewPrivs")}`)], 5_000);
    assert.deepEqual(outputOf(run), { CapEff: "0000000000000000", CapPrm: "0000000000000000", CapBnd: "0000000000000000", NoNewPrivs: "1" });
  });

  test("after the idle time the worker process, its children and its folder are gone", async () => {
    const worker = newWorker(200);
    outputOf((await worker.run([COUNT_ROWS], 5_000))[0]);
    const folder = worker.hostFolder!;
    assert.deepEqual(fs.readdirSync(path.join(folder, "jobs")), [], "the batch's database copies are deleted once answered");
    const tree = processTree(worker.pid!);
    assert.ok(tree.length >= 2, `expected bwrap and the Python worker, found ${tree.join(", ")}`);
    assert.ok(await waitUntil(() => worker.pid === undefined && !fs.existsSync(folder)), "the worker stopped and removed its folder");
    assert.ok(await waitUntil(() => noneRunningOrOurs(tree)), `left behind: ${tree.map((pid) => `${pid} ${processState(pid)}`).join(", ")}`);
  });

  test("a script that used the worker exits without waiting for it, and takes the worker with it", async () => {
    const script = path.join(dir, "uses-worker.mts");
    const here = import.meta.dirname;
    fs.writeFileSync(
      script,
      `import { runVerifier } from ${JSON.stringify(path.join(here, "run-verifier.ts"))};
import { processTree } from ${JSON.stringify(path.join(here, "..", "testing", "process-tree.ts"))};
const run = await runVerifier(${JSON.stringify(COUNT_ROWS)});
console.log(JSON.stringify({ ok: run.ok, workerTree: processTree(process.pid).slice(1) }));
`,
    );
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), script], { cwd: dir, stdio: ["ignore", "pipe", "inherit"] });
    const stdout = await new Promise<string>((resolve) => {
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      child.on("close", () => resolve(text));
    });
    const { ok, workerTree } = JSON.parse(stdout) as { ok: boolean; workerTree: number[] };
    assert.equal(ok, true);
    assert.ok(workerTree.length >= 2, `expected the worker under the script, found ${workerTree.join(", ")}`);
    assert.ok(await waitUntil(() => noneRunningOrOurs(workerTree)), `left behind: ${workerTree.map((pid) => `${pid} ${processState(pid)}`).join(", ")}`);
  });
});
