import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { AWM_FILES } from "../awm/types.ts";
import { importFolder } from "../library/import.ts";
import { saveLlmSettings } from "../llm/settings.ts";
import { closeStudioDb, studioDb } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { tinyShopRecords, writeFixtureFolder } from "../testing/awm-fixture.ts";
import { startScriptedLlm, type ScriptedLlm } from "../testing/scripted-llm.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { appendStep, createTrajectory, finishTrajectory, getTrajectory, listTrajectories } from "../trajectories/store.ts";
import { judgeModes } from "./judge-modes.ts";
import { main } from "../cli/main.ts";
import { verifyTrajectory, verifyTrajectoryWithHeadline } from "./verify-trajectory.ts";

useTempStudioHome("awm-verify-trajectory-test-");
process.env.AWM_STUDIO_LLM_BACKOFF_MS = "10";

const SQL_EVIDENCE = `def verify_task(initial_db_path, final_db_path):
    before = {r[0] for r in sqlite3.connect(initial_db_path).execute("SELECT name FROM products")}
    after = sqlite3.connect(final_db_path).execute("SELECT name, price FROM products").fetchall()
    return {"new_products": [{"name": n, "price": p} for n, p in after if n not in before]}
`;

const FREE_TEXT_TASK = "Rename product 1 to 'Blue Mug', please.";

let llm: ScriptedLlm;
let judgeReply = "";
let seedDbFile = "";
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "awm-verify-trajectory-dbs-"));

before(async () => {
  const shop = tinyShopRecords("Verdict Shop");
  const folder = writeFixtureFolder([shop]);
  // Task 1 also gets an sql-mode verifier; task 0 has only its code-mode one.
  const sqlRecord = { ...shop.verifiers[1]!, verification: { code: SQL_EVIDENCE } };
  fs.writeFileSync(path.join(folder, AWM_FILES.verifierSql), JSON.stringify(sqlRecord) + "\n");
  const report = await importFolder(folder);
  assert.deepEqual(report.errors, []);
  seedDbFile = (await loadEnvironment("verdict_shop")).seedDbFile;
  llm = await startScriptedLlm((request) => {
    assert.equal(request.body.metadata.stage, "judge");
    return { content: judgeReply };
  });
  await saveLlmSettings({ baseUrl: llm.baseUrl, models: { judge: "judge-model" } });
});
after(async () => {
  await llm.close();
  await closeStudioDb();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A trajectory of task `taskIdx` (null: a free-text task) whose final database is the seed after `sql`. */
async function trajectoryAfter(taskIdx: number | null, sql: string, finalAnswer = "Done."): Promise<string> {
  const finalDb = path.join(scratch, `final-${Date.now()}-${Math.random()}.db`);
  fs.copyFileSync(seedDbFile, finalDb);
  const db = new Database(finalDb);
  db.exec(sql);
  db.close();
  const task = taskIdx === null ? FREE_TEXT_TASK : tinyShopRecords().tasks.tasks[taskIdx]!;
  const { id } = await createTrajectory({ environmentName: "verdict_shop", taskIdx, task, source: "playtest", initialDbFile: seedDbFile });
  await appendStep(id, { role: "assistant", content: "On it.", toolName: "add_product", toolArguments: { name: "Tea Pot", price: 20 } });
  await appendStep(id, { role: "tool", toolResponse: '{"id": 3}' });
  await appendStep(id, { role: "assistant", content: finalAnswer, isFinal: true });
  await finishTrajectory(id, { finalAnswer, finalDbFile: finalDb });
  return id;
}

describe("verifyTrajectory", () => {
  test("code mode: the verifier decides; complete earns 1.0, others 0", async () => {
    const done = await trajectoryAfter(1, "INSERT INTO products (owner_id, name, price) VALUES (1, 'Tea Pot', 20)");
    const verdict = await verifyTrajectory(done, "code");
    assert.deepEqual([verdict.mode, verdict.classification, verdict.reward], ["code", "complete", 1]);
    assert.deepEqual(JSON.parse(verdict.verifierOutput), { result: "complete" });

    const notDone = await trajectoryAfter(1, "SELECT 1");
    const other = await verifyTrajectory(notDone, "code");
    assert.deepEqual([other.classification, other.reward], ["others", 0]);
    const stored = await getTrajectory(notDone);
    assert.deepEqual([stored!.verdictClass, stored!.reward], ["others", 0]);
  });

  test("sql mode: the evidence goes to the judge, whose class and reward are stored", async () => {
    judgeReply = JSON.stringify({
      classification: "incomplete",
      reasoning: "The price is wrong.",
      confidence: { complete: 0.1, incomplete: 0.7, agent_error: 0.2, server_error: 0 },
      evidence: ["Tea Pot priced 25"],
    });
    const id = await trajectoryAfter(1, "INSERT INTO products (owner_id, name, price) VALUES (1, 'Tea Pot', 25)");
    const verdict = await verifyTrajectory(id, "sql");
    assert.deepEqual([verdict.mode, verdict.classification, verdict.reward], ["sql", "incomplete", 0.1]);
    assert.equal(verdict.reasoning, "The price is wrong.");
    assert.deepEqual(verdict.confidence, { complete: 0.1, incomplete: 0.7, agent_error: 0.2, server_error: 0 });
    assert.deepEqual(JSON.parse(verdict.verifierOutput), { new_products: [{ name: "Tea Pot", price: 25 }] });
    const judgeRequest = llm.requests.at(-1)!.body.messages[1].content as string;
    assert.match(judgeRequest, /"price": 25/);
    const call = await studioDb().llmCall.findUniqueOrThrow({ where: { id: verdict.llmCallId! } });
    assert.equal(call.stage, "judge");
    assert.equal(call.scenario, "verdict_shop");
    assert.equal((await getTrajectory(id))!.reward, 0.1);
  });

  test("judge errors carry the reason and leave the trajectory without a reward", async () => {
    judgeReply = "The agent did it, I believe.";
    const unreadable = await trajectoryAfter(1, "SELECT 1");
    const verdict = await verifyTrajectory(unreadable, "sql");
    assert.equal(verdict.classification, "judge_error");
    assert.match(verdict.error, /cannot read a JSON object[\s\S]*--- the judge's answer ---\nThe agent did it, I believe\./);
    const stored = await getTrajectory(unreadable);
    assert.deepEqual([stored!.verdictClass, stored!.reward], ["judge_error", null]);

    const noSqlVerifier = await trajectoryAfter(0, "UPDATE products SET name = 'Blue Mug' WHERE id = 1");
    const missing = await verifyTrajectory(noSqlVerifier, "sql");
    assert.equal(missing.classification, "judge_error");
    assert.match(missing.error, /has no sql-mode verifier \(verify_task, gen_verifier\.jsonl\) for task 0; it has a code-mode one/);
  });

  test("a failed re-judge joins the history beside the good verdict, never instead of it", async () => {
    const id = await trajectoryAfter(0, "UPDATE products SET name = 'Blue Mug' WHERE id = 1");
    assert.equal((await verifyTrajectory(id, "code")).classification, "complete");
    const failed = await verifyTrajectory(id, "sql");
    assert.equal(failed.classification, "judge_error");

    const stored = await getTrajectory(id);
    assert.deepEqual([stored!.verdictClass, stored!.reward], ["complete", 1]);
    assert.deepEqual(stored!.verdicts.map((verdict) => [verdict.mode, verdict.classification]), [["sql", "judge_error"], ["code", "complete"]]);
    const [listed] = (await listTrajectories({ environment: "verdict_shop" })).filter((summary) => summary.id === id);
    assert.deepEqual([listed!.verdictClass, listed!.reward, listed!.judgeError?.mode], ["complete", 1, "sql"]);
    assert.match(listed!.judgeError?.error ?? "", /has no sql-mode verifier/);
  });

  test("judging is offered only where it can run: sql needs an sql verifier, or is judge-only on a free-text task", async () => {
    const withoutSql = (await getTrajectory(await trajectoryAfter(0, "SELECT 1")))!;
    const modes = await judgeModes(withoutSql);
    assert.deepEqual(modes.code, { available: true, judgeOnly: false });
    assert.equal(modes.sql.available, false);
    assert.match(!modes.sql.available ? modes.sql.reason : "", /no sql-mode verifier .* for task 0; it has a code-mode one/);
    assert.deepEqual(await judgeModes((await getTrajectory(await trajectoryAfter(1, "SELECT 1")))!), { code: { available: true, judgeOnly: false }, sql: { available: true, judgeOnly: false } });
    const freeText = await judgeModes((await getTrajectory(await trajectoryAfter(null, "SELECT 1")))!);
    assert.equal(freeText.code.available, false);
    assert.deepEqual(freeText.sql, { available: true, judgeOnly: true });
  });

  test("a free-text task is judged from its database change (judge-only); code mode says it has no verifier", async () => {
    judgeReply = JSON.stringify({ classification: "complete", reasoning: "Product 1 is now Blue Mug.", confidence: { complete: 0.9, incomplete: 0.1 } });
    const id = await trajectoryAfter(null, "UPDATE products SET name = 'Blue Mug' WHERE id = 1");
    const code = await verifyTrajectory(id, "code");
    assert.equal(code.classification, "judge_error");
    assert.match(code.error, /a free-text task .* has no verifier; judge it in sql mode/);

    const verdict = await verifyTrajectory(id, "sql");
    assert.deepEqual([verdict.classification, verdict.reward], ["complete", 1]);
    const sent = llm.requests.at(-1)!.body.messages[1].content as string;
    assert.match(sent, /## Database change \(this task has no verifier/);
    assert.match(sent, /"Blue Mug"/);
    assert.ok(sent.includes(FREE_TEXT_TASK));
    assert.deepEqual(((await getTrajectory(id))!).reward, 1);
  });
});

/** The verify command in-process, as main runs it: exit code, stdout and stderr. */
async function verifyCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["verify", ...args], { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("verifyTrajectoryWithHeadline and the verify command", () => {
  test("the headline after each verdict: a good one replaces it, a judge error keeps an earlier good one", async () => {
    const id = await trajectoryAfter(0, "UPDATE products SET name = 'Blue Mug' WHERE id = 1");
    const failedFirst = await verifyTrajectoryWithHeadline(id, "sql");
    assert.equal(failedFirst.verdict.classification, "judge_error");
    assert.deepEqual(failedFirst.trajectory, { id, taskIdx: 0, verdictClass: "judge_error", reward: null });
    const good = await verifyTrajectoryWithHeadline(id, "code");
    assert.deepEqual(good.trajectory, { id, taskIdx: 0, verdictClass: "complete", reward: 1 });
    const failedAgain = await verifyTrajectoryWithHeadline(id, "sql");
    assert.deepEqual(failedAgain.trajectory, { id, taskIdx: 0, verdictClass: "complete", reward: 1 });
    const stored = (await getTrajectory(id))!;
    assert.deepEqual([stored.verdictClass, stored.reward], [failedAgain.trajectory.verdictClass, failedAgain.trajectory.reward]);
    await assert.rejects(verifyTrajectoryWithHeadline("nope", "code"), { name: "NotFoundError", message: "no trajectory nope" });
  });

  test("verify prints the verdict and, after a judge error, the verdict the trajectory keeps; an unknown id is named", async () => {
    const id = await trajectoryAfter(0, "UPDATE products SET name = 'Blue Mug' WHERE id = 1");
    const good = await verifyCli([id, "--mode", "code"]);
    assert.equal(good.code, 0, good.err);
    assert.match(good.out, new RegExp(`^Trajectory ${id} \\(code mode\\): complete, reward 1\\.0$`, "m"));
    assert.doesNotMatch(good.out, /keeps its earlier verdict/);

    const failed = await verifyCli([id, "--mode", "sql"]);
    assert.equal(failed.code, 1);
    assert.match(failed.out, new RegExp(`^Trajectory ${id} \\(sql mode\\): judge error, reward none \\(the run could not be judged\\)\nthe trajectory keeps its earlier verdict: complete, reward 1\\.0\nerror: .*has no sql-mode verifier`));
    const json = JSON.parse((await verifyCli([id, "--mode", "sql", "--json"])).out) as { trajectoryId: string; mode: string; verdict: string; reward: number | null };
    assert.deepEqual([json.trajectoryId, json.mode, json.verdict, json.reward], [id, "sql", "judge_error", null]);

    assert.deepEqual(await verifyCli(["nope", "--mode", "code"]), { code: 1, out: "", err: "awm-studio verify: no trajectory nope (and no run folder at that path)" });
  });
});
