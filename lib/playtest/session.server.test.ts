import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-playtest-");
const { importFolder } = await import("../library/import.ts");
const { starterLibraryDir } = await import("../config/paths.ts");
const manager = await import("../instances/manager.ts");
const { getTrajectory } = await import("../trajectories/store.ts");
const { finishPlaytest, playtestCall, resetPlaytest, startPlaytest } = await import("./session.ts");
const { RESET_NOTE } = await import("../trajectories/reset-step.ts");
const { getPlaytestView } = await import("./view.ts");
const { replayTrajectory } = await import("../trajectories/replay.ts");

const LIBRARY = "maple_street_library_lending_desk";
/** library/README.md, task A0: renew the loan of copy MS-000412 from 2026-03-10 to 2026-03-24. */
const RENEW_TASK = 0;

before(async () => {
  const report = await importFolder(starterLibraryDir());
  assert.ok(report.environments.some((env) => env.name === LIBRARY), JSON.stringify(report.errors));
});

after(async () => {
  await manager.stopAll();
  fs.rmSync(home, { recursive: true, force: true });
});

async function loanIdOfBarcode(session: { trajectoryId: string; instanceId: string }, barcode: string): Promise<number> {
  const { response } = await playtestCall(session, "list_my_loans", { status: "active" });
  assert.equal(response.ok, true, JSON.stringify(response.body));
  const loans = (Array.isArray(response.body) ? response.body : ((response.body as Record<string, unknown>).loans as unknown[])) as Record<string, unknown>[];
  const loan = loans.find((candidate) => JSON.stringify(candidate).includes(barcode));
  assert.ok(loan, `no active loan mentions ${barcode}: ${JSON.stringify(response.body)}`);
  return Number(loan.id ?? loan.loan_id);
}

test("a playtest records each call with its diff, resets honestly and ends in the code verifier's verdict", async () => {
  const session = await startPlaytest(LIBRARY, RENEW_TASK);
  const started = await getPlaytestView(session.trajectoryId, session.instanceId);
  assert.equal(started.instance?.status, "running");
  assert.equal(started.trajectory.source, "playtest");
  assert.match(started.trajectory.task, /MS-000412/);
  assert.equal(started.finished, false);
  assert.ok(started.tools.some((tool) => tool.name === "renew_loan" && tool.changesState));
  assert.deepEqual(started.examples.place_hold, { book_id: 3, pickup_branch: "Eastside" }, "spec examples of place_hold");

  const loanId = await loanIdOfBarcode(session, "MS-000412");
  const missing = await playtestCall(session, "renew_loan", { loan_id: 999_999 });
  assert.equal(missing.response.ok, false);
  assert.equal(missing.step.isError, true);
  assert.match(missing.step.toolResponse ?? "", /^HTTP 4\d\d: /);
  assert.deepEqual(missing.diff.tables, {}, "a failed call changes nothing");

  const renewed = await playtestCall(session, "renew_loan", { loan_id: loanId });
  assert.equal(renewed.response.ok, true, JSON.stringify(renewed.response.body));
  const update = renewed.diff.tables.loans?.updated.find((row) => row.key.id === loanId);
  assert.ok(update, `the renewal updates loan ${loanId}: ${JSON.stringify(renewed.diff)}`);
  assert.ok(update.changed.includes("due_date"), `changed: ${update.changed.join(", ")}`);
  assert.match(String(update.after.due_date), /^2026-03-24/);
  assert.deepEqual(renewed.cumulativeDiff.tables.loans?.updated.map((row) => row.key), [{ id: loanId }]);

  const reset = await resetPlaytest(session);
  assert.equal(reset.step.content, RESET_NOTE);
  assert.deepEqual(reset.cumulativeDiff.tables, {}, "after a reset the database is the seed again");
  assert.equal(reset.diff.tables.loans?.updated[0]?.before.due_date, update.after.due_date, "the reset's own diff undoes the renewal");

  const again = await playtestCall(session, "renew_loan", { loan_id: loanId });
  assert.equal(again.response.ok, true);
  const { verdict, cumulativeDiff } = await finishPlaytest(session, "Renewed: the loan of MS-000412 is now due 2026-03-24.");
  assert.equal(verdict.mode, "code");
  assert.equal(verdict.classification, "complete", `${verdict.error} ${verdict.verifierOutput}`);
  assert.equal(verdict.reward, 1);
  assert.ok(cumulativeDiff.tables.loans);

  const stored = await getTrajectory(session.trajectoryId);
  assert.ok(stored);
  assert.deepEqual(
    stored.steps.map((step) => [step.role, step.toolName, step.isError, step.isFinal]),
    [
      ["assistant", "list_my_loans", false, false],
      ["assistant", "renew_loan", true, false],
      ["assistant", "renew_loan", false, false],
      ["system", null, false, false],
      ["assistant", "renew_loan", false, false],
      ["assistant", null, false, true],
    ],
  );
  assert.deepEqual(stored.steps[2]?.toolArguments, { loan_id: loanId });
  assert.deepEqual(stored.steps[5]?.cumulativeDiff?.tables.loans?.updated.map((row) => row.key), [{ id: loanId }], "the final step shows the whole change");
  assert.equal(stored.finalAnswer, "Renewed: the loan of MS-000412 is now due 2026-03-24.");
  assert.equal(stored.verdictClass, "complete");
  assert.equal(path.dirname(stored.finalDbFile), path.join(home, "trajectories", session.trajectoryId));

  const finished = await getPlaytestView(session.trajectoryId, session.instanceId);
  assert.equal(finished.finished, true);
  assert.equal(finished.instance?.status, "stopped", "finishing stops the instance");
  await assert.rejects(playtestCall(session, "list_my_loans", {}), /is finished/);

  const replay = await replayTrajectory(session.trajectoryId);
  assert.equal(replay.status, "ok", `a replay resets where the playtest did: ${JSON.stringify(replay.divergence ?? replay.error)}`);
  assert.equal(replay.replayedCalls, 4);
});

test("a playtest that did nothing is judged not complete; unknown tasks and foreign instances are refused", async () => {
  await assert.rejects(startPlaytest(LIBRARY, 99), /has no task 99 \(its tasks are 0\.\.5\)/);
  await assert.rejects(startPlaytest("no_such_environment", 0), /no environment named "no_such_environment"/);

  const session = await startPlaytest(LIBRARY, RENEW_TASK);
  const other = await startPlaytest(LIBRARY, 1);
  try {
    const foreign = await manager.createInstance("sprout_lane_community_garden_plots");
    await assert.rejects(playtestCall({ trajectoryId: session.trajectoryId, instanceId: foreign.id }, "list_my_loans", {}), /runs sprout_lane_community_garden_plots/);
    await manager.stopInstance(foreign.id);
    const gone = await getPlaytestView(session.trajectoryId, "0000000000");
    assert.equal(gone.instance, null);
    assert.match(gone.instanceError ?? "", /no instance 0000000000/);

    const { verdict } = await finishPlaytest(session, "");
    assert.equal(verdict.classification, "others");
    assert.equal(verdict.reward, 0);
  } finally {
    await manager.stopInstance(other.instanceId);
  }
});

test("raw calls skip the schema check and every digit of an integer is kept in the record", async () => {
  const { ExactNumber } = await import("../json/exact-json.ts");
  const session = await startPlaytest(LIBRARY, RENEW_TASK);
  try {
    await assert.rejects(playtestCall(session, "renew_loan", { loan_id: "not-a-number" }), /invalid arguments for renew_loan/);
    const raw = await playtestCall(session, "renew_loan", { loan_id: "not-a-number" }, { raw: true });
    assert.equal(raw.step.isError, true);
    assert.match(raw.step.toolResponse ?? "", /^HTTP 422: /, "the environment's own answer to what was sent");

    const big = new ExactNumber("9007199254740993");
    const missing = await playtestCall(session, "renew_loan", { loan_id: big });
    assert.match(missing.step.toolResponse ?? "", /^HTTP 404: /);
    const stored = await getTrajectory(session.trajectoryId);
    // The refused call is a step too, marked malformed, with why it was refused.
    assert.deepEqual(stored?.steps.map((step) => [step.toolArguments, step.malformed]), [[{ loan_id: "not-a-number" }, true], [{ loan_id: "not-a-number" }, false], [{ loan_id: big }, false]]);
    assert.match(stored?.steps[0]?.toolResponse ?? "", /invalid arguments for renew_loan/);
  } finally {
    await manager.stopInstance(session.instanceId);
  }
});
