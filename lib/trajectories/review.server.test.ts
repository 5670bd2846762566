import assert from "node:assert/strict";
import { test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-review-");
const { createTrajectory, getTrajectory, listTrajectories } = await import("./store.ts");
const { setTrajectoryReview } = await import("./review.ts");
const { normalizeTags } = await import("./review-tags.ts");

test("tags are trimmed, lower-cased and kept once, in order; an over-long tag is refused", () => {
  assert.deepEqual(normalizeTags([" Reward  Hacking", "verifier wrong", "", "reward hacking", "flaky-db"]), ["reward hacking", "verifier wrong", "flaky-db"]);
  assert.throws(() => normalizeTags(["x".repeat(65)]), /at most 64 characters/);
});

test("a review is stored with the run, read back in its summary and detail, and filters the list by whole tag", async () => {
  const run = (task: string) => createTrajectory({ environmentName: "tiny_shop", taskIdx: 0, task, source: "playtest" });
  const hacked = await run("hacked");
  const buggy = await run("buggy");
  await run("untouched");
  assert.deepEqual(await setTrajectoryReview(hacked.id, { tags: ["Reward hacking", "environment bug"], note: "  passes by listing products  " }), { tags: ["reward hacking", "environment bug"], note: "passes by listing products" });
  await setTrajectoryReview(buggy.id, { tags: ["environment bug", "environment"], note: "" });

  const tagged = (tag: string) => listTrajectories({ tag }).then((rows) => rows.map((row) => row.task).sort());
  assert.deepEqual(await tagged("environment bug"), ["buggy", "hacked"]);
  assert.deepEqual(await tagged("Reward Hacking"), ["hacked"]);
  assert.deepEqual(await tagged("environment"), ["buggy"], "a tag matches whole tags only");
  const detail = await getTrajectory(hacked.id);
  assert.deepEqual([detail?.tags, detail?.reviewNote], [["reward hacking", "environment bug"], "passes by listing products"]);
  assert.deepEqual((await listTrajectories({})).find((row) => row.task === "untouched")?.tags, []);
  await assert.rejects(setTrajectoryReview("nope", { tags: [], note: "" }), /no trajectory nope/);
});
