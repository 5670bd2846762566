import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { readAwmFolder } from "./read-folder.ts";
import { folderContents, tempDir, tinyShopRecords, writeTempFolder } from "../testing/awm-fixture.ts";
import { messageOf } from "../errors.ts";

test("groups one environment's records under its normalized name, keeping each record and its line", () => {
  const env = tinyShopRecords("Tiny Shop (Test)");
  const { bundles, errors, filesRead } = readAwmFolder(writeTempFolder(folderContents(env)));
  assert.deepEqual(errors, []);
  assert.equal(filesRead.length, 7);
  assert.equal(bundles.length, 1);
  const bundle = bundles[0]!;
  assert.equal(bundle.name, "tiny_shop_test");
  assert.equal(bundle.scenario, "Tiny Shop (Test)");
  assert.deepEqual(bundle.scenarioRecord, { record: env.scenario, source: { file: "gen_scenario.jsonl", line: 1 } });
  assert.deepEqual(bundle.schema?.record, env.schema);
  assert.deepEqual(bundle.seed?.record, env.seed);
  assert.deepEqual(bundle.spec?.record, env.spec);
  assert.deepEqual(bundle.code?.record, env.code);
  assert.deepEqual(
    bundle.verifiers.map((v) => [v.record.task_idx, v.record.mode, v.source.line]),
    [[0, "code", 1], [1, "code", 2]],
  );
});

test("a malformed line is reported with file, line and the parser's message; other lines still import", () => {
  const a = tinyShopRecords("Alpha");
  const b = tinyShopRecords("Beta");
  const contents = folderContents(a, b);
  contents["gen_tasks.jsonl"] = [a.tasks, "", '{"scenario": "Gamma", "tasks": [', b.tasks];
  const { bundles, errors } = readAwmFolder(writeTempFolder(contents));
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.file, "gen_tasks.jsonl");
  assert.equal(errors[0]!.line, 3, "blank lines are skipped but still counted");
  let parserMessage = "";
  try {
    JSON.parse('{"scenario": "Gamma", "tasks": [');
  } catch (error) {
    parserMessage = messageOf(error);
  }
  assert.ok(errors[0]!.message.includes(parserMessage), errors[0]!.message);
  assert.deepEqual(bundles.map((bundle) => [bundle.name, bundle.tasks?.source.line]), [["alpha", 1], ["beta", 4]]);
});

test("records of the wrong shape are rejected with the field path, and attributed to their scenario", () => {
  const env = tinyShopRecords("Alpha");
  const contents = folderContents(env);
  contents["gen_tasks.jsonl"] = [{ scenario: "Alpha", tasks: "do things" }];
  contents["gen_db.jsonl"] = [[1, 2]];
  contents["gen_envs.jsonl"] = [{ db_path: "x", full_code: "" }];
  contents["gen_verifier.pure_code.jsonl"] = [{ ...env.verifiers[0], task_idx: "0" }, env.verifiers[1]!];
  const { bundles, errors } = readAwmFolder(writeTempFolder(contents));
  const byFile = new Map(errors.map((error) => [error.file, error]));
  assert.match(byFile.get("gen_tasks.jsonl")!.message, /^tasks: .*expected array/);
  assert.equal(byFile.get("gen_tasks.jsonl")!.scenario, "alpha");
  assert.match(byFile.get("gen_db.jsonl")!.message, /Expected a JSON object, got an array/);
  assert.match(byFile.get("gen_envs.jsonl")!.message, /^scenario: .*expected string/);
  assert.match(byFile.get("gen_verifier.pure_code.jsonl")!.message, /^task_idx: .*expected number/);
  assert.equal(byFile.get("gen_verifier.pure_code.jsonl")!.line, 1);
  const bundle = bundles[0]!;
  assert.equal(bundle.tasks, undefined);
  assert.equal(bundle.schema, undefined);
  assert.deepEqual(bundle.verifiers.map((v) => v.record.task_idx), [1]);
});

test("a missing folder, or one without AWM files, is an error, not an exception", () => {
  const missing = readAwmFolder(path.join(os.tmpdir(), "no-such-awm-folder-" + process.pid));
  assert.equal(missing.bundles.length, 0);
  assert.match(missing.errors[0]!.message, /Cannot read AWM folder: ENOENT/);
  const empty = tempDir();
  fs.writeFileSync(path.join(empty, "notes.txt"), "hello");
  const result = readAwmFolder(empty);
  assert.deepEqual(result.filesRead, []);
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0]!.file, empty);
  assert.match(result.errors[0]!.message, /No AWM files/);
});

test("a folder with only some files imports what it has; names from other files fill in the display name", () => {
  const env = tinyShopRecords("Only Tasks");
  const { bundles, errors, filesRead } = readAwmFolder(
    writeTempFolder({ "gen_tasks.jsonl": [env.tasks], "gen_verifier.jsonl": [{ ...env.verifiers[0], verification: { code: "def verify_task(a, b):\n    return {}" } }] }),
  );
  assert.deepEqual(errors, []);
  assert.deepEqual(filesRead, ["gen_tasks.jsonl", "gen_verifier.jsonl"]);
  assert.equal(bundles.length, 1);
  assert.equal(bundles[0]!.scenario, "Only Tasks");
  assert.equal(bundles[0]!.scenarioRecord, undefined);
  assert.equal(bundles[0]!.schema, undefined);
  assert.equal(bundles[0]!.verifiers[0]!.record.mode, "sql");
});

test("a record naming a scenario without a gen_scenario entry still yields its own bundle", () => {
  const env = tinyShopRecords("Known");
  const contents = folderContents(env);
  contents["gen_verifier.pure_code.jsonl"] = [...env.verifiers, { ...env.verifiers[0]!, scenario: "ghost_town" }];
  const { bundles } = readAwmFolder(writeTempFolder(contents));
  const ghost = bundles.find((bundle) => bundle.name === "ghost_town");
  assert.ok(ghost);
  assert.equal(ghost.scenario, "ghost_town");
  assert.equal(ghost.scenarioRecord, undefined);
  assert.equal(ghost.verifiers.length, 1);
  assert.equal(bundles.find((bundle) => bundle.name === "known")?.verifiers.length, 2);
});

test("duplicate records in one file: the later one is kept and both lines are named", () => {
  const env = tinyShopRecords("Dup");
  const contents = folderContents(env);
  const newer = { ...env.schema, db_path: "newer.db" };
  contents["gen_db.jsonl"] = [env.schema, newer];
  contents["gen_verifier.pure_code.jsonl"] = [env.verifiers[0]!, env.verifiers[1]!, { ...env.verifiers[0]!, task: "newer" }];
  const { bundles, errors } = readAwmFolder(writeTempFolder(contents));
  assert.deepEqual(bundles[0]!.schema, { record: newer, source: { file: "gen_db.jsonl", line: 2 } });
  assert.deepEqual(bundles[0]!.verifiers.map((v) => [v.record.task_idx, v.record.task]), [[0, "newer"], [1, env.verifiers[1]!.task]]);
  assert.equal(errors.length, 2);
  assert.ok(errors.every((error) => error.severity === "warning" && error.scenario === "dup"));
  assert.match(errors[0]!.message, /lines 1 and 2\); kept line 2/);
  assert.match(errors[1]!.message, /task_idx 0 .*lines 1 and 3\); kept line 3/);
});

test("unknown extra fields are kept, and a UTF-8 BOM and CRLF line ends are tolerated", () => {
  const env = tinyShopRecords("Extra");
  const dir = writeTempFolder({});
  const withExtra = { ...env.tasks, difficulty: { level: 3 }, tags: ["x"] };
  fs.writeFileSync(path.join(dir, "gen_tasks.jsonl"), `\uFEFF${JSON.stringify(withExtra)}\r\n`);
  const { bundles, errors } = readAwmFolder(dir);
  assert.deepEqual(errors, []);
  assert.deepEqual(bundles[0]!.tasks?.record, withExtra);
});
