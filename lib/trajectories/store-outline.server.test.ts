import assert from "node:assert/strict";
import fs from "node:fs";
import { after, test } from "node:test";
import type { DbDiff } from "../diff/sqlite-diff.ts";
import { closeStudioDb } from "../store/db.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";
import { emptyDiff } from "./diff-shape.ts";
import { appendStep, createTrajectory, getTrajectoryOutline, getTrajectoryStep } from "./store.ts";

const home = useTempStudioHome("awm-traj-outline-test-");

after(async () => {
  await closeStudioDb();
  fs.rmSync(home, { recursive: true, force: true });
});

function diffOf(tables: DbDiff["tables"]): DbDiff {
  return { ...emptyDiff(), tables };
}

test("the outline lists every step with its changed-row count, and a step loads with both its diffs", async () => {
  const { id } = await createTrajectory({ environmentName: "shop", taskIdx: 0, task: "Rename the first product.", source: "agent" });
  const rename = diffOf({ products: { inserted: [], deleted: [], updated: [{ key: { id: 1 }, before: { name: "a" }, after: { name: "b" }, changed: ["name"] }] } });
  const addTwo = diffOf({ orders: { inserted: [{ id: 7 }, { id: 8 }], deleted: [], updated: [] } });
  const sinceStart = diffOf({ ...rename.tables, ...addTwo.tables });
  const written = [
    await appendStep(id, { role: "assistant", toolName: "list_products", toolArguments: {}, toolResponse: "[]", diff: emptyDiff(), cumulativeDiff: emptyDiff() }),
    await appendStep(id, { role: "assistant", toolName: "rename_product", toolArguments: { id: 1, name: "b" }, toolResponse: "{}", diff: rename, cumulativeDiff: rename, llmCallId: "call-1", promptTokens: 12, completionTokens: 3, latencyMs: 40, durationMs: 5 }),
    await appendStep(id, { role: "assistant", toolName: "add_orders", toolArguments: { count: 2 }, toolResponse: "{}", diff: addTwo, cumulativeDiff: sinceStart, skipped: true, isError: true }),
    await appendStep(id, { role: "assistant", content: "Done.", isFinal: true }),
  ];
  // What a write answers (built from what it wrote, not read back) is what reading the step gives.
  for (const step of written) assert.deepEqual(step, await getTrajectoryStep(id, step.ordinal), `step ${step.ordinal}`);

  const outline = await getTrajectoryOutline(id);
  assert.ok(outline);
  assert.equal(outline.task, "Rename the first product.");
  assert.deepEqual(
    outline.steps.map((step) => [step.ordinal, step.toolName, step.changedRows]),
    [
      [0, "list_products", 0],
      [1, "rename_product", 1],
      [2, "add_orders", 2],
      [3, null, null],
    ],
  );
  assert.ok(outline.steps.every((step) => !("diff" in step) && !("cumulativeDiff" in step)), "the outline carries no diffs");

  const third = await getTrajectoryStep(id, 2);
  assert.deepEqual(third?.toolArguments, { count: 2 });
  assert.deepEqual(third?.diff, addTwo);
  assert.deepEqual(third?.cumulativeDiff, sinceStart);
  assert.equal((await getTrajectoryStep(id, 3))?.diff, null);
  assert.equal(await getTrajectoryStep(id, 4), undefined);
  assert.equal(await getTrajectoryOutline("no-such-trajectory"), undefined);
});
