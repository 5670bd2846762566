/**
 * Runs once when the studio's Next server starts: jobs a killed studio left running (a rollout, a
 * regeneration) resume at once, not when someone next opens a page that resumes them.
 */
export async function register(): Promise<void> {
  // Only the Node.js server runs jobs; the edge build never bundles the job runners.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { resumeOrphanedJobs } = await import("./lib/agent/resume-jobs");
  resumeOrphanedJobs();
}
