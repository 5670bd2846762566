/**
 * What a server calls to resume the jobs a dead process left: it loads every job kind first (a kind
 * registers itself when its module loads, see job-runner.ts), so a page that never loaded the
 * rollout runner still resumes an interrupted rollout. The server calls it at start (instrumentation.ts)
 * and job routes again, for kinds registered since.
 */
import "./rollout-job.ts";

export { ensureJobsResumed as resumeOrphanedJobs } from "../pipeline/job-runner.ts";
