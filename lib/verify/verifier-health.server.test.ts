import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { realSamplesDir, skipWithoutSamples } from "../testing/samples.ts";
import { tinyShopRecords, writeFixtureFolder } from "../testing/awm-fixture.ts";
import { starterLibraryDir } from "../config/paths.ts";
import { importFolder } from "../library/import.ts";
import { closeStudioDb } from "../store/db.ts";
import { checkVerifierHealth, type VerifierHealthReport } from "./verifier-health.ts";

useTempStudioHome("awm-verifier-health-test-");

after(() => closeStudioDb());

async function healthOfFolder(folder: string): Promise<VerifierHealthReport[]> {
  const report = await importFolder(folder);
  assert.deepEqual(report.errors, []);
  return Promise.all(report.environments.map((env) => checkVerifierHealth(env.name)));
}

describe("verifier health", () => {
  test("a crashing verifier is an error, 'complete' on the seed for a change task a warning, for a question fine", async () => {
    const shop = tinyShopRecords("Health Shop");
    shop.tasks.tasks.push("What is the price of the 'Plate'?");
    const [rename, add] = shop.verifiers;
    rename!.verification.code = `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return {"result": "complete"}\n`;
    add!.verification.code = `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return {"result": 1 / 0}\n`;
    shop.verifiers.push({
      ...rename!,
      task_idx: 2,
      task: shop.tasks.tasks[2]!,
      verification: { code: `def verify_task_completion(initial_db_path, final_db_path, final_answer=None):\n    return {"result": "complete"}\n`, raw_response: "{}" },
    });
    const [health] = await healthOfFolder(writeFixtureFolder([shop]));
    assert.deepEqual(
      health!.entries.map((entry) => [entry.taskIdx, entry.intent, entry.status]),
      [
        [0, "change", "suspicious"],
        [1, "change", "broken"],
        [2, "question", "ok"],
      ],
    );
    assert.deepEqual(health!.counts, { ok: 1, broken: 1, suspicious: 1 });
    const [warning, error] = health!.issues;
    assert.deepEqual(
      { stage: warning!.stage, severity: warning!.severity, where: warning!.where, location: warning!.location },
      { stage: "verifier", severity: "warning", where: "gen_verifier.pure_code.jsonl line 1, task 0", location: { tab: "verifiers", taskIdx: 0 } },
    );
    assert.match(warning!.message, /says "complete" when nothing changed/);
    assert.equal(error!.severity, "error");
    assert.equal(error!.where, "gen_verifier.pure_code.jsonl line 2, task 1");
    assert.match(error!.message, /ZeroDivisionError: division by zero/);
  });

  test("the starter library: all 17 verifiers run on (seed, seed) and none is suspicious", async () => {
    const reports = await healthOfFolder(starterLibraryDir());
    const entries = reports.flatMap((report) => report.entries);
    assert.equal(entries.length, 17);
    assert.deepEqual(
      entries.filter((entry) => entry.status !== "ok").map((entry) => `${entry.where}: ${entry.status} ${entry.error ?? ""}`),
      [],
    );
    assert.ok(entries.every((entry) => (entry.output as { result: string }).result === "others"));
    assert.deepEqual(reports.flatMap((report) => report.issues), []);
  });

  test("the real samples: all 50 code verifiers run on (seed, seed)", { skip: skipWithoutSamples() }, async () => {
    const reports = await healthOfFolder(realSamplesDir()!);
    const entries = reports.flatMap((report) => report.entries);
    assert.equal(entries.length, 50);
    assert.deepEqual(entries.filter((entry) => entry.status === "broken").map((entry) => `${entry.where}: ${entry.error}`), []);
    const suspicious = entries.filter((entry) => entry.status === "suspicious").map((entry) => `${entry.where}: ${entry.task}`);
    if (suspicious.length > 0) console.log(`suspicious verifiers in the real samples:\n${suspicious.join("\n")}`);
    assert.ok(entries.every((entry) => ["complete", "others"].includes((entry.output as { result: string }).result)));
  });

  test("an unknown environment is a not-found error", async () => {
    await assert.rejects(checkVerifierHealth("no_such_environment"), { name: "NotFoundError", message: 'no environment named "no_such_environment" in the studio' });
  });
});
