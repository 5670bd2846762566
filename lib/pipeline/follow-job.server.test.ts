/** Following a job's events: each poll's wait lets go of the abort listener it added; the stream ends with the job. */
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { after, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-follow-job-");
const { closeStudioDb } = await import("../store/db.ts");
const { createJobRow, finishJobRow } = await import("./job-store.ts");
const { jobProgress } = await import("./progress.ts");
const { followJob } = await import("./follow-job.ts");
after(() => closeStudioDb());

test("a follower polling a running job holds one abort listener at most, and ends when the job does", { timeout: 20_000 }, async () => {
  const job = await createJobRow("regen", { environment: "none" });
  const first = await jobProgress(job.id);
  assert.ok(first);
  const stop = new AbortController();
  const events: string[] = [];
  const following = followJob(first, (event) => events.push(event), stop.signal);
  let listeners: number;
  try {
    // Three polls (one a second): each added a listener it never removed.
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    listeners = getEventListeners(stop.signal, "abort").length;
  } finally {
    await finishJobRow(job.id, { status: "finished", summary: {} });
    await following;
  }
  assert.ok(listeners <= 1, `listeners: ${listeners}`);
  assert.deepEqual([events.at(0), events.at(-1)], ["progress", "done"]);
  assert.equal(getEventListeners(stop.signal, "abort").length, 0);
});
