import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { NotFoundError } from "../errors.ts";
import { errorBody } from "../http/handler.ts";
import { importFolder } from "../library/import.ts";
import { closeStudioDb, studioDb } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { tinyShopRecords, writeFixtureFolder } from "../testing/awm-fixture.ts";
import { realSamplesDir, skipWithoutSamples } from "../testing/samples.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { importRunCommand } from "../cli/commands/import-run.ts";
import { verifyCommand } from "../cli/commands/verify.ts";
import { loadTrajectoryEnvironment } from "./environment.ts";
import { importRunFolder } from "./import-run.ts";
import { replayTrajectory } from "./replay.ts";
import { buildRunFolder, writeRunJson, type FixtureCall } from "../testing/run-folder.ts";
import { getTrajectory, listTrajectories } from "./store.ts";
import { verifyTrajectory, verifyTrajectoryWithHeadline } from "../verify/verify-trajectory.ts";
import type { DbDiff } from "../diff/sqlite-diff.ts";

const home = useTempStudioHome("awm-traj-test-");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "awm-traj-runs-"));

async function environmentRuntime(name: string) {
  const environment = await loadEnvironment(name, { artifacts: ["code"] });
  const { code } = environment.artifacts;
  assert.ok(code, `environment ${name} has code`);
  return { code: code.record.full_code, seedDbFile: environment.seedDbFile };
}

function copyRunFolder(from: string, name: string): string {
  const to = path.join(scratch, name);
  fs.cpSync(from, to, { recursive: true });
  return to;
}

after(async () => {
  await closeStudioDb();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("tiny shop run folder", () => {
  let runFolder: string;
  const calls: FixtureCall[] = [
    { name: "rename_product", arguments: { product_id: 1, name: "Blue Mug" } },
    { name: "add_product", arguments: { name: "Tea Pot", price: 20 } },
  ];

  before(async () => {
    const report = await importFolder(writeFixtureFolder([tinyShopRecords()]));
    assert.deepEqual(report.errors, []);
    const runtime = await environmentRuntime("tiny_shop");
    runFolder = await buildRunFolder(
      { ...runtime, scenario: "Tiny Shop", taskIdx: 0, task: "Rename product 1 to 'Blue Mug'.", calls },
      path.join(scratch, "tiny-run"),
    );
  });

  test("import-run resolves prefixed tool names and replay stores per-step diffs without divergence", async () => {
    const imported = await importRunFolder(runFolder);
    assert.equal(imported.environmentName, "tiny_shop");
    assert.equal(imported.malformedSteps, 0);
    const replay = await replayTrajectory(imported.trajectoryId);
    assert.equal(replay.error, undefined);
    assert.equal(replay.status, "ok");
    assert.equal(replay.replayedCalls, 2);

    const trajectory = await getTrajectory(imported.trajectoryId);
    assert.ok(trajectory);
    assert.equal(trajectory.replayStatus, "ok");
    assert.equal(trajectory.finalAnswer, "Done.");
    const toolSteps = trajectory.steps.filter((step) => step.toolName);
    assert.deepEqual(toolSteps.map((step) => step.toolName), ["rename_product", "add_product"]);
    assert.deepEqual(toolSteps[0]!.toolArguments, { product_id: 1, name: "Blue Mug" });

    const rename = toolSteps[0]!.diff?.tables.products;
    assert.ok(rename, "rename step changed products");
    assert.deepEqual(rename.updated.map((row) => [row.key, row.changed, row.after.name]), [[{ id: 1 }, ["name"], "Blue Mug"]]);
    const add = toolSteps[1]!.diff?.tables.products;
    assert.deepEqual(add?.inserted.map((row) => row.name), ["Tea Pot"]);
    assert.equal(add?.updated.length, 0, "the add step's own diff does not repeat the rename");
    const cumulative = toolSteps[1]!.cumulativeDiff?.tables.products;
    assert.equal(cumulative?.updated.length, 1);
    assert.equal(cumulative?.inserted.length, 1);
  });

  test("a doctored final database is flagged as divergence naming the changed row", async () => {
    const doctored = copyRunFolder(runFolder, "tiny-doctored");
    const db = new Database(path.join(doctored, "final.db"));
    db.prepare("UPDATE products SET price = 99 WHERE id = 2").run();
    db.close();

    const imported = await importRunFolder(doctored);
    const replay = await replayTrajectory(imported.trajectoryId);
    assert.equal(replay.status, "diverged");
    const products = replay.divergence?.tables.products;
    assert.ok(products);
    assert.deepEqual(
      products.updated.map((row) => ({ key: row.key, changed: row.changed, replayed: row.before.price, recorded: row.after.price })),
      [{ key: { id: 2 }, changed: ["price"], replayed: 12, recorded: 99 }],
    );
    const stored = await getTrajectory(imported.trajectoryId);
    assert.equal(stored?.replayStatus, "diverged");
    assert.deepEqual(stored?.replayFinalDiff, replay.divergence);
    const diverged = await listTrajectories({ diverged: true });
    assert.deepEqual(diverged.map((summary) => summary.id), [imported.trajectoryId]);
    // Its verdict judges the recording, and says so.
    const out: string[] = [];
    await verifyCommand([imported.trajectoryId, "--mode", "code"], { out: (text) => out.push(text), err: () => undefined });
    assert.match(out.join(""), /judged on the run's recorded final database, and its replay diverged/);
    const printed: string[] = [];
    await verifyCommand([imported.trajectoryId, "--mode", "code", "--json"], { out: (text) => printed.push(text), err: () => undefined });
    assert.match((JSON.parse(printed.join("")) as { judgedDatabaseNote: string }).judgedDatabaseNote, /^judged on the run's recorded final database/);
  });

  test("import-run --json reports the run's net change and, apart, its divergence from the recorded final.db", async () => {
    const importJson = async (folder: string) => {
      const out: string[] = [];
      const code = await importRunCommand([folder, "--json"], { out: (text) => out.push(text), err: () => undefined });
      assert.equal(code, 0);
      return JSON.parse(out.join("")) as { trajectoryId: string; steps: number; replay: { diverged: boolean; netChange: DbDiff | null; divergence: DbDiff | null } };
    };
    // The folder the tests above imported: a second copy of the same run is refused, naming the first.
    const again: string[] = [];
    assert.equal(await importRunCommand([runFolder], { out: (text) => again.push(text), err: (text) => again.push(text) }).catch((error: Error) => (again.push(error.message), 1)), 1);
    assert.match(again.join(""), /this run was imported from .*tiny-run already, as trajectory \w+: a second copy would count twice in curation and exports/);
    const printed = await importJson(copyRunFolder(runFolder, "tiny-json"));
    assert.equal(printed.steps, 3);
    assert.equal(printed.replay.diverged, false);
    const products = printed.replay.netChange?.tables.products;
    assert.deepEqual([products?.updated.map((row) => row.after.name), products?.inserted.map((row) => row.name)], [["Blue Mug"], ["Tea Pot"]]);
    assert.deepEqual(printed.replay.divergence?.tables, {});
    assert.ok(await getTrajectory(printed.trajectoryId));

    const noFinal = copyRunFolder(runFolder, "tiny-no-final");
    fs.rmSync(path.join(noFinal, "final.db"));
    const withoutFinal = await importJson(noFinal);
    assert.equal(withoutFinal.replay.divergence, null, "nothing recorded to diverge from");
    assert.deepEqual(Object.keys(withoutFinal.replay.netChange?.tables ?? {}), ["products"]);
  });

  test("verify on a run folder imported already judges that import, not a new copy", async () => {
    const folder = copyRunFolder(runFolder, "tiny-verify-twice");
    for (let time = 0; time < 2; time++) {
      const printed: string[] = [];
      assert.equal(await verifyCommand([folder, "--mode", "code", "--json"], { out: (text) => printed.push(text), err: () => undefined }), 0);
    }
    assert.equal(await studioDb().trajectory.count({ where: { importedFrom: path.resolve(folder) } }), 1);
  });

  test("a run without databases gets them from the replay", async () => {
    const bare = copyRunFolder(runFolder, "tiny-bare");
    fs.rmSync(path.join(bare, "initial.db"));
    fs.rmSync(path.join(bare, "final.db"));
    const imported = await importRunFolder(bare);
    assert.deepEqual(imported.hasDatabases, { initial: false, final: false });
    const replay = await replayTrajectory(imported.trajectoryId);
    assert.equal(replay.status, "ok");
    const trajectory = await getTrajectory(imported.trajectoryId);
    assert.ok(trajectory?.initialDbFile && fs.existsSync(trajectory.initialDbFile));
    assert.ok(trajectory.finalDbFile && fs.existsSync(trajectory.finalDbFile));
    const final = new Database(trajectory.finalDbFile, { readonly: true });
    assert.deepEqual(final.prepare("SELECT name FROM products ORDER BY id").pluck().all(), ["Blue Mug", "Plate", "Tea Pot"]);
    final.close();
  });

  test("a recorded call to a tool the environment does not have is a divergence the replay names, not an 'ok' step", async () => {
    const folder = path.join(scratch, "tiny-ghost-tool");
    writeRunJson(folder, {
      scenario: "Tiny Shop",
      task_id: 1,
      task: "Add a product 'Tea Pot' priced 20.",
      trajectory: [
        { iteration: 0, role: "assistant", content: "", tool_calls: [{ id: "c0", name: "mcp_tool_mcp_server_add_product", arguments: '{"name": "Tea Pot", "price": 20}' }] },
        { iteration: 0, role: "tool", tool_response: { tool_call_id: "c0", content: '{"id": 3}' } },
        { iteration: 1, role: "assistant", content: "", tool_calls: [{ id: "c1", name: "mcp_tool_mcp_server_waive_all_fines", arguments: "{}" }] },
        { iteration: 1, role: "tool", tool_response: { tool_call_id: "c1", content: '{"waived": 3}' } },
      ],
    });
    const imported = await importRunFolder(folder);
    const replay = await replayTrajectory(imported.trajectoryId);
    assert.equal(replay.status, "diverged");
    assert.equal(replay.refused.length, 1);
    assert.match(replay.refused[0]!, /^step 2 \(waive_all_fines\): .*waive_all_fines/);
    const trajectory = await getTrajectory(imported.trajectoryId);
    assert.equal(trajectory?.replayStatus, "diverged");
    assert.match(trajectory?.replayError ?? "", /the environment refused a recorded call:\nstep 2 \(waive_all_fines\)/);
    // No final.db of its own: the verdict judges the replay's, which lacks the refused call's change.
    const verification = await verifyTrajectoryWithHeadline(imported.trajectoryId, "code");
    assert.match(verification.trajectory.judgedDatabaseNote ?? "", /^judged on the final database its replay made, and the replay diverged/);
  });

  test("malformed tool calls are marked and skipped by the replay", async () => {
    const folder = path.join(scratch, "tiny-malformed");
    writeRunJson(folder, {
      scenario: "Tiny Shop",
      task_id: 1,
      task: "Add a product 'Tea Pot' priced 20.",
      trajectory: [
        { iteration: 0, role: "assistant", content: '<tool_call>{"name": "add_product", "arguments": {"name": "Tea Pot", </tool_call>' },
        { iteration: 1, role: "assistant", content: "", tool_calls: [{ id: "c1", name: "mcp_tool_mcp_server_add_product", arguments: "{name: Tea Pot}" }] },
        { iteration: 2, role: "assistant", content: '<tool_call>{"name": "mcp_tool_add_product", "arguments": {"name": "Tea Pot", "price": 20}}</tool_call>' },
        { iteration: 2, role: "tool", tool_response: { tool_call_id: null, content: '{"id": 3}' } },
      ],
    });
    const imported = await importRunFolder(folder);
    assert.equal(imported.malformedSteps, 2);
    const trajectory = await getTrajectory(imported.trajectoryId);
    assert.deepEqual(
      trajectory?.steps.map((step) => [step.toolName, step.malformed, step.toolResponse]),
      [
        ["add_product", true, null],
        ["add_product", true, null],
        ["add_product", false, '{"id": 3}'],
      ],
    );
    const replay = await replayTrajectory(imported.trajectoryId);
    assert.equal(replay.replayedCalls, 1);
  });

  test("a free-text run (task_id null) takes the index of the task with its text, or stays a task of its own", async () => {
    const run = JSON.parse(fs.readFileSync(path.join(runFolder, "trajectory.json"), "utf8")) as Record<string, unknown>;
    const writeFreeText = (name: string, task: string) => {
      const folder = copyRunFolder(runFolder, name);
      fs.writeFileSync(path.join(folder, "trajectory.json"), JSON.stringify({ ...run, task_id: null, task }));
      return folder;
    };
    const matching = await importRunFolder(writeFreeText("tiny-free-matching", "  Rename product 1\n to 'Blue Mug'. "));
    assert.equal(matching.taskIdx, 0);
    assert.match(matching.warnings.join("\n"), /"task_id" is null .* task 0 of "tiny_shop"/);

    const own = await importRunFolder(writeFreeText("tiny-free-own", "Rename product 1 to 'Blue Mug' and tell me the old name."));
    assert.equal(own.taskIdx, null);
    assert.match(own.warnings.join("\n"), /matches none of the 2 task\(s\) of "tiny_shop": imported as a free-text task/);
    const stored = await getTrajectory(own.trajectoryId);
    assert.deepEqual([stored?.taskIdx, stored?.task], [null, "Rename product 1 to 'Blue Mug' and tell me the old name."]);
    assert.equal((await replayTrajectory(own.trajectoryId)).status, "ok");
    const listed = await listTrajectories({ environment: "tiny_shop" });
    assert.equal(listed.find((summary) => summary.id === own.trajectoryId)?.taskIdx, null);

    const out: string[] = [];
    await importRunCommand([writeFreeText("tiny-free-cli", "Sell me a tea pot.")], { out: (text) => out.push(text), err: () => undefined });
    assert.match(out.join(""), /tiny_shop free-text task, 3 step\(s\)/);
  });

  test("a run whose task_id names a task of another text is judged as the task with its text, or as a task of its own", async () => {
    const run = JSON.parse(fs.readFileSync(path.join(runFolder, "trajectory.json"), "utf8")) as Record<string, unknown>;
    const writeTask = (name: string, task: string) => {
      const folder = copyRunFolder(runFolder, name);
      fs.writeFileSync(path.join(folder, "trajectory.json"), JSON.stringify({ ...run, task_id: 0, task }));
      return folder;
    };
    // Task 0's verifier would judge a run of task 1 (a reordered tasks stage) against the wrong task.
    const reordered = await importRunFolder(writeTask("tiny-task-reordered", "Add a product 'Tea Pot' priced 20."));
    assert.equal(reordered.taskIdx, 1);
    assert.match(reordered.warnings.join("\n"), /is not the text of task 0 of "tiny_shop" in the library; it is the text of task 1 of "tiny_shop", so it is imported as that task/);
    // A run of another environment, or of a task since regenerated: no verifier of this library judges it.
    const foreign = await importRunFolder(writeTask("tiny-task-foreign", "Book a table for two at eight."));
    assert.equal(foreign.taskIdx, null);
    assert.match(foreign.warnings.join("\n"), /is not the text of task 0 .* matches none of the 2 task\(s\) of "tiny_shop": imported as a free-text task/);
    assert.match((await verifyTrajectory(foreign.trajectoryId, "code")).error ?? "", /a free-text task .* has no verifier/);
  });

  test("import names what is missing", async () => {
    const folder = path.join(scratch, "tiny-errors");
    writeRunJson(folder, { scenario: "No Such Shop", task_id: 0, task: "x", trajectory: [] });
    await assert.rejects(importRunFolder(folder), /no environment named "no_such_shop" in the studio: `awm-studio list` lists them/);
    const unknown = await loadTrajectoryEnvironment("no_such_shop").catch((error: unknown) => error);
    assert.ok(unknown instanceof NotFoundError, "an unknown environment is not found, not a crash");
    assert.equal(errorBody(unknown).status, 404);
    writeRunJson(folder, { scenario: "Tiny Shop", task_id: 7, task: "x", trajectory: [] });
    await assert.rejects(importRunFolder(folder), /task_id 7: environment "tiny_shop" has no task 7 \(its tasks are 0\.\.1\)/);
    fs.writeFileSync(path.join(folder, "trajectory.json"), JSON.stringify({ scenario: "Tiny Shop", task_id: null, trajectory: [] }));
    await assert.rejects(importRunFolder(folder), /"task_id" is null and there is no "task" text/);
    fs.writeFileSync(path.join(folder, "trajectory.json"), '{\n  "scenario": "Tiny Shop",\n  "task_id": 0,,\n}');
    await assert.rejects(importRunFolder(folder), /trajectory\.json:3:\d+: malformed JSON/);
    await assert.rejects(importRunFolder(scratch), /has no trajectory\.json/);
  });
});

describe("gofundme run folder (real sample)", { skip: skipWithoutSamples() }, () => {
  test("a run with a read and a write call replays without divergence", async () => {
    const report = await importFolder(realSamplesDir()!);
    assert.ok(report.environments.some((env) => env.name === "gofundme"));
    const runtime = await environmentRuntime("gofundme");
    const folder = await buildRunFolder(
      {
        ...runtime,
        scenario: "GoFundMe",
        taskIdx: 2,
        task: "Post a campaign update",
        calls: [
          { name: "fetch_my_donation_history", arguments: {} },
          { name: "create_campaign_update", arguments: { campaign_id: 1, title: "Surgery scheduled", body: "Thank you all." } },
        ],
      },
      path.join(scratch, "gofundme-run"),
    );
    const imported = await importRunFolder(folder);
    assert.ok(imported.warnings.some((warning) => warning.includes("task text")), "the shortened task text is reported");
    const replay = await replayTrajectory(imported.trajectoryId);
    assert.equal(replay.error, undefined);
    assert.equal(replay.status, "ok", JSON.stringify(replay.divergence));
    const trajectory = await getTrajectory(imported.trajectoryId);
    const [read, write] = trajectory!.steps.filter((step) => step.toolName);
    assert.equal(read?.toolName, "fetch_my_donation_history");
    assert.deepEqual(read?.diff?.tables, {}, "a read changes nothing");
    const inserted = Object.values(write?.diff?.tables ?? {}).flatMap((table) => table.inserted);
    assert.ok(inserted.some((row) => row.title === "Surgery scheduled"), `the update row was inserted: ${JSON.stringify(write?.diff)}`);
  });
});
