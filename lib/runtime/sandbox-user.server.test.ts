/**
 * A studio running as root starts its sandboxes as an unprivileged uid: what they read of the
 * studio's own files must be readable by that uid, wherever the checkout is (CI may clone it under a
 * folder only root can enter).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { detectSandbox, readableBySandbox, SANDBOX_UID, sandboxHostUid, spawnIsolated } from "./sandbox.ts";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "awm-sandbox-user-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Runs `cat <inside>/hello.txt` in a sandbox that mounts `dir`; resolves with its exit code and output. */
function catInSandbox(dir: string): Promise<{ code: number | null; out: string }> {
  const run = spawnIsolated({
    mounts: [{ host: dir, inside: "/opt/files" }],
    argv: (inside) => ["/bin/cat", path.join(inside(dir), "hello.txt")],
    env: { PATH: "/usr/bin:/bin" },
    cwd: dir,
    uid: SANDBOX_UID,
  });
  let out = "";
  run.child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  run.child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  return run.ended.then((end) => ({ code: end.code, out }));
}

test("files under a folder only root can enter reach the sandbox through readableBySandbox, and not directly", { skip: (sandboxHostUid() === undefined || !detectSandbox().available) && "runs as root with a sandbox only" }, async () => {
  const closed = path.join(root, "root-only");
  const files = path.join(closed, "checkout", "python");
  fs.mkdirSync(files, { recursive: true });
  fs.writeFileSync(path.join(files, "hello.txt"), "hello from the studio\n");
  fs.chmodSync(closed, 0o700);
  const direct = await catInSandbox(files);
  assert.notEqual(direct.code, 0, "the sandbox's uid cannot enter a root-only folder");
  const copy = readableBySandbox(files);
  assert.notEqual(copy, files);
  assert.equal(readableBySandbox(files), copy, "one copy per folder and process");
  const through = await catInSandbox(copy);
  assert.deepEqual(through, { code: 0, out: "hello from the studio\n" });
});
