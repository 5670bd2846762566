/**
 * A job left running by a process that died is taken over at the next start, at most MAX_RESUMES
 * times: a job that takes its process down (a security review's rollout ran the studio out of memory
 * at every start that resumed it) is then left failed, saying why.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import os from "node:os";
import { after, test } from "node:test";
import { useTempStudioHome } from "../testing/temp-home.ts";

useTempStudioHome("awm-job-resume-");
const { studioDb, closeStudioDb } = await import("../store/db.ts");
const { createJobRow, MAX_RESUMES } = await import("./job-store.ts");
const { resumeJobs } = await import("./job-runner.ts");
after(() => closeStudioDb());

/** A job row as a process that has died left it, taken over `resumes` times before. */
async function orphanedJob(resumes: number): Promise<string> {
  const gone = spawnSync("/bin/true").pid!;
  const job = await createJobRow("regen", { environment: "nowhere", stage: "tasks", cascade: false, concurrency: 1, maxAttempts: 1 });
  const owner = { host: os.hostname(), pid: gone, heartbeatAt: new Date().toISOString() };
  await studioDb().job.update({ where: { id: job.id }, data: { progress: JSON.stringify({ owner, resumes }) } });
  return job.id;
}

test(`a job whose process died is resumed, counting it; after ${MAX_RESUMES} resumes it is left failed, saying why`, async () => {
  const again = await orphanedJob(MAX_RESUMES - 1);
  const exhausted = await orphanedJob(MAX_RESUMES);
  const handles = await resumeJobs();
  assert.deepEqual(handles.map((handle) => handle.jobId), [again]);
  await Promise.all(handles.map((handle) => handle.done));
  const rows = await studioDb().job.findMany({ where: { id: { in: [again, exhausted] } } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  assert.equal(JSON.parse(byId.get(again)!.progress).resumes, MAX_RESUMES);
  assert.equal(byId.get(exhausted)!.status, "failed");
  assert.equal(byId.get(exhausted)!.error, `not resumed: the studio process running it died ${MAX_RESUMES + 1} times (a job that takes its process down, out of memory for one); start it again to retry`);
});
