/**
 * A verifier runs in the worker's process tree, so the tree's limits bind it: processes, memory of
 * all its processes together, and the size of /tmp. Each attack is bounded on its own (children exit
 * after a few seconds, writes stop at 2 GB) so a failed limit cannot hurt the machine.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { defaultPython } from "../runtime/python-runtime.ts";
import { DEFAULT_MAX_PROCESSES, DEFAULT_TMP_BYTES } from "../runtime/sandbox.ts";
import { forkBombPython, memoryHogsPython } from "../testing/hostile-python.ts";
import type { VerifierJob } from "./job-staging.ts";
import { DEFAULT_VERIFIER_MEMORY_BYTES } from "./run-verifier.ts";
import { VerifierWorker, type RawRun } from "./verifier-worker.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-hostile-verifier-"));
const db = path.join(dir, "shop.db");
const worker = new VerifierWorker({ python: defaultPython(), memoryBytes: DEFAULT_VERIFIER_MEMORY_BYTES, allowUnsandboxed: false });

const job = (body: string): VerifierJob => ({
  code: `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n${body.replace(/^/gm, "    ")}\n`,
  mode: "code",
  initialDbFile: db,
  finalDbFile: db,
});

const outputOf = (run: RawRun | undefined) => {
  assert.ok(run?.ok, run && !run.ok ? run.error : "no run");
  return run.output as Record<string, unknown>;
};

before(() => {
  const seed = new Database(db);
  seed.exec("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
  seed.close();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("a verifier's fork bomb of 300 processes stops at the process cap", async () => {
  const [run] = await worker.run(
    [
      job(`import time
${forkBombPython("300", "2")}
return {"result": "others", "started": len(children), "error": error}`),
    ],
    20_000,
  );
  const output = outputOf(run);
  assert.ok(Number(output.started) < DEFAULT_MAX_PROCESSES, JSON.stringify(output));
  assert.match(String(output.error), /BlockingIOError|Resource temporarily unavailable/);
});

test("a verifier's 4 children of 300 MB each stop at the tree's 512 MiB limit", async () => {
  const [run] = await worker.run(
    [
      job(`import time
${memoryHogsPython("4", "300", "3")}
return {"result": "others", "statuses": [os.waitpid(pid, 0)[1] for pid in pids]}`),
    ],
    20_000,
  );
  // The kernel kills the largest process of the tree: a child (status 9) or the verifier itself.
  if (run?.ok) assert.ok((outputOf(run).statuses as number[]).includes(9), JSON.stringify(run));
  else assert.match(run?.error ?? "", /killed by signal 9/);
});

test("2 GB written to a verifier's /tmp stop at its size", async () => {
  const [run] = await worker.run(
    [
      job(`chunk = b"x" * (1024 * 1024)
written = 0
try:
    for index in range(2048):
        with open(f"/tmp/fill-{index}.bin", "wb") as handle:
            handle.write(chunk)
        written += 1
except OSError as error:
    return {"result": "others", "written_mb": written, "error": repr(error)}
return {"result": "others", "written_mb": written}`),
    ],
    20_000,
  );
  const output = outputOf(run);
  assert.ok(Number(output.written_mb) * 2 ** 20 <= DEFAULT_TMP_BYTES, JSON.stringify(output));
  assert.match(String(output.error), /No space left on device/);
});
