/**
 * Untrusted code must not reach the kernel's global settings. As root, a sandbox's user used to map
 * to the kernel's uid 0: without any capability, it could still write /proc/sys (kernel.core_pattern
 * names a program the kernel runs as root outside every namespace). Each probe here writes a setting
 * back with the value it already has, so it changes nothing even where the write gets through.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { runVerifier } from "../verify/run-verifier.ts";
import { detectSandbox } from "./sandbox.ts";
import { awmEnvironment, runtimeTestContext, SHOP_SEED_SQL } from "../testing/runtime-environments.ts";

const SETTINGS = ["/proc/sys/vm/swappiness", "/proc/sys/kernel/core_pattern"];
const sandboxed = detectSandbox().available;

/** Python that tries each identity write and says what happened, by file. */
const PROBE = `
def probe_settings():
    results = {}
    for name in ${JSON.stringify(SETTINGS)}:
        try:
            with open(name) as handle:
                value = handle.read()
            with open(name, "w") as handle:
                handle.write(value)
            results[name] = "written"
        except OSError as error:
            results[name] = type(error).__name__
    return results
`;

const context = runtimeTestContext("awm-kernel-settings-");
after(() => context.cleanup());

describe("the kernel's global settings", { skip: !sandboxed && "no sandbox here" }, () => {
  test("an environment cannot write them, at import or in an episode", async () => {
    const code = awmEnvironment(`${PROBE}
AT_IMPORT = probe_settings()

@app.get("/probe", operation_id="probe")
def probe():
    return {"at_import": AT_IMPORT, "in_episode": probe_settings()}
`);
    const instance = await context.start(code, context.seedDatabase(SHOP_SEED_SQL));
    const answer = await instance.callTool("probe", {});
    assert.equal(answer.ok, true, JSON.stringify(answer.body));
    const { at_import: atImport, in_episode: inEpisode } = answer.body as Record<string, Record<string, string>>;
    for (const name of SETTINGS) {
      assert.notEqual(atImport![name], "written", `${name} written at import`);
      assert.notEqual(inEpisode![name], "written", `${name} written in an episode`);
    }
  });

  test("a verifier cannot write them", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-kernel-settings-verifier-"));
    const db = path.join(folder, "state.db");
    new Database(db).exec("CREATE TABLE t (x)").close();
    const run = await runVerifier({
      code: `${PROBE}\ndef verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return {"result": "others", "probe": probe_settings()}\n`,
      mode: "code",
      initialDbFile: db,
      finalDbFile: db,
    });
    fs.rmSync(folder, { recursive: true, force: true });
    assert.equal(run.ok, true, run.ok ? "" : run.error);
    const probe = (run.ok ? run.output : {}) as { probe: Record<string, string> };
    for (const name of SETTINGS) assert.notEqual(probe.probe[name], "written", `${name} written by a verifier`);
  });
});
