import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { tarStream } from "../archive/tar-stream.ts";
import type { TrajectoryRecord } from "../trajectories/store.ts";
import { writeAwmRunFolder } from "./awm-run-folder.ts";

/** A run with only what the folder writer reads. */
function run(environmentName: string): TrajectoryRecord {
  return { id: "cmrun0000000000000000000a", environmentName, taskIdx: 0, task: "t", model: "m", steps: [], verdicts: [], tags: [], reviewNote: "", initialDbFile: null, finalDbFile: null } as unknown as TrajectoryRecord;
}

async function tarNames(folder: string): Promise<string[]> {
  let ended = false;
  const bytes = Buffer.from(await new Response(tarStream(folder, () => (ended = true))).arrayBuffer());
  assert.ok(ended, "the stream says when it is done");
  const names: string[] = [];
  for (let at = 0; at + 512 <= bytes.length; ) {
    const header = bytes.subarray(at, at + 512);
    if (header.every((byte) => byte === 0)) break;
    const text = (from: number, length: number) => header.subarray(from, from + length).toString("utf8").replace(/\0.*$/s, "");
    const prefix = text(345, 155);
    names.push(prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
    at += 512 + Math.ceil(parseInt(text(124, 12), 8) / 512) * 512;
  }
  return names;
}

test("an environment's name of any length makes a folder name of bounded length, and the export's tar holds it", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "awm-run-folder-"));
  try {
    const long = `garden_${"x".repeat(300)}`;
    const folder = writeAwmRunFolder(root, run(long));
    const environmentFolder = path.relative(root, folder).split(path.sep)[0]!;
    assert.ok(environmentFolder.length <= 80, environmentFolder);
    assert.equal(JSON.parse(fs.readFileSync(path.join(folder, "trajectory.json"), "utf8")).scenario, long, "the run keeps its environment's whole name");
    assert.deepEqual(await tarNames(root), [`${environmentFolder}/task_0/cmrun0000000000000000000a/trajectory.json`]);
    writeAwmRunFolder(root, run("tiny_shop"));
    assert.ok(fs.existsSync(path.join(root, "tiny_shop", "task_0")), "a plain name is its own folder");
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a name a tar cannot hold is refused before the stream starts, and nothing is sent", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "awm-tar-"));
  try {
    const deep = path.join(root, "a".repeat(200), "b".repeat(120));
    fs.mkdirSync(path.dirname(deep), { recursive: true });
    fs.writeFileSync(deep, "x");
    let done = false;
    assert.throws(() => tarStream(root, () => (done = true)), /path too long for a tar archive/);
    assert.equal(done, false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
