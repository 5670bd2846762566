import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { removeDeadProcessFolders, sandboxReachableTemp } from "./host-folders.ts";

test("a sweep removes the host folders of processes that are gone and keeps those of live ones", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "awm-host-folders-"));
  const dead = spawnSync("/bin/true").pid!;
  for (const name of [`${dead}-1-aaaaaa`, `${process.pid}-1-bbbbbb`, "not-a-host-folder"]) fs.mkdirSync(path.join(root, name, "slots"), { recursive: true });
  assert.deepEqual(removeDeadProcessFolders(root), [`${dead}-1-aaaaaa`]);
  assert.deepEqual(fs.readdirSync(root).sort(), [`${process.pid}-1-bbbbbb`, "not-a-host-folder"]);
  fs.rmSync(root, { recursive: true, force: true });
});

test("a TMPDIR under a folder only its owner can enter is passed over for /tmp: sandboxes run as another user", () => {
  const closed = fs.mkdtempSync(path.join(os.tmpdir(), "awm-closed-temp-"));
  const temp = path.join(closed, "tmp");
  fs.mkdirSync(temp, { mode: 0o777 });
  fs.chmodSync(closed, 0o700);
  const saved = process.env.TMPDIR;
  try {
    process.env.TMPDIR = temp;
    assert.equal(sandboxReachableTemp(), "/tmp");
    fs.chmodSync(closed, 0o711);
    assert.equal(sandboxReachableTemp(), temp);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    fs.rmSync(closed, { recursive: true, force: true });
  }
});
