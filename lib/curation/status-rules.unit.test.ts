import assert from "node:assert/strict";
import { test } from "node:test";
import { decideStatus, type TaskEvidence } from "./status-rules.ts";

const base = { at: "2026-01-01T00:00:00.000Z", stale: false };
const noOp = (health: "ok" | "broken" | "suspicious"): TaskEvidence => ({ ...base, kind: "no-op", mode: "code", health, detail: "", summary: `no-op ${health}` });
const run = (passed: boolean, extra: Partial<{ readOnly: boolean; distrusted: boolean; disputed: boolean; stale: boolean }> = {}): TaskEvidence => ({
  ...base,
  kind: "run",
  trajectoryId: "t1",
  source: "playtest",
  verdict: passed ? "complete" : "others",
  reward: passed ? 1 : 0,
  passed,
  readOnly: extra.readOnly ?? false,
  distrusted: extra.distrusted ?? false,
  disputed: extra.disputed ?? false,
  stale: extra.stale ?? false,
  summary: `run ${passed ? "passed" : "failed"}`,
});
const group = (n: number, successes: number): TaskEvidence => ({ ...base, kind: "rollout-group", jobId: "j", n, successes, summary: `group ${successes}/${n}` });
const mark = (kind: "reference" | "unsolvable"): TaskEvidence => ({ ...base, kind: "mark", mark: kind, note: "why", trajectoryId: null, summary: `mark ${kind}` });
const serverError: TaskEvidence = { ...base, kind: "server-error", trajectoryId: "t2", tool: "pay", response: "HTTP 500: boom", summary: "500 on pay" };
const shadowed: TaskEvidence = { ...base, kind: "issue", trajectoryId: "t2", tool: "pay", stage: "code", severity: "error", where: "", message: "shadowed", summary: "pay is shadowed" };

const status = (evidence: TaskEvidence[]) => decideStatus(evidence).status;

test("no evidence, or only stale evidence → unverified", () => {
  assert.equal(status([]), "unverified");
  assert.equal(status([run(true, { stale: true }), { ...noOp("ok"), stale: true }]), "unverified");
});

test("curated needs a reference run and a healthy no-op run", () => {
  assert.deepEqual(decideStatus([noOp("ok"), run(true)]), { status: "curated", reason: "run passed; no-op ok" });
  assert.equal(status([run(true)]), "unverified");
  assert.equal(status([noOp("ok"), run(false), mark("reference")]), "curated");
  assert.equal(status([noOp("ok"), group(4, 2)]), "curated", "a passing rollout is a reference run");
});

test("unsolvable: a person's mark, a broken verifier, or a blocked operation without any passing run", () => {
  assert.equal(status([noOp("ok"), run(true), mark("unsolvable")]), "unsolvable");
  assert.equal(status([noOp("broken"), run(true)]), "unsolvable");
  assert.equal(status([noOp("ok"), run(false), serverError]), "unsolvable");
  assert.equal(status([noOp("ok"), run(false), shadowed]), "unsolvable");
  assert.equal(status([noOp("ok"), run(true), serverError]), "curated", "a 500 on one run does not outweigh a passing one");
});

test("a failed run a reviewer says the verifier wrongly failed makes the task unsolvable, even beside passing runs", () => {
  const disputed = { ...run(false, { disputed: true }), summary: "run failed, tagged verifier wrong" };
  assert.deepEqual(decideStatus([noOp("ok"), run(true), disputed, group(4, 2)]), { status: "unsolvable", reason: "run failed, tagged verifier wrong" });
  assert.equal(status([noOp("ok"), run(true), { ...disputed, stale: true }]), "curated", "a verifier changed since the tag is judged afresh");
});

test("reward-hackable: the no-op run passes, a passing run changed nothing, or a reviewer distrusts a passing run", () => {
  assert.equal(status([noOp("suspicious"), run(true)]), "reward-hackable");
  assert.equal(status([noOp("ok"), run(true, { readOnly: true })]), "reward-hackable");
  assert.equal(status([noOp("ok"), run(true, { distrusted: true })]), "reward-hackable");
  assert.equal(status([noOp("ok"), run(true, { distrusted: true, stale: true }), run(true)]), "curated", "a stale tagged run decides nothing");
});

test("rollout groups: all pass → too-easy, all fail → too-hard, single rollouts are no group", () => {
  assert.equal(status([noOp("ok"), run(true), group(4, 4)]), "too-easy");
  assert.equal(status([noOp("ok"), run(true), group(4, 0)]), "too-hard");
  assert.equal(status([noOp("ok"), group(4, 0)]), "too-hard");
  assert.equal(status([noOp("ok"), run(true), group(1, 1)]), "curated");
  assert.equal(status([noOp("ok"), run(true), group(4, 0), group(4, 3)]), "curated", "the latest group counts");
});

test("a task the agent always fails though a run passed is too-hard, and the reason says it can be done", () => {
  assert.deepEqual(decideStatus([run(true), group(2, 0), noOp("ok")]), { status: "too-hard", reason: "group 0/2, though run passed" });
  assert.deepEqual(decideStatus([group(2, 0)]), { status: "too-hard", reason: "group 0/2" });
});
