-- Agent runs: rollout groups of trajectories, per-step LLM calls, skipped calls.
ALTER TABLE "Trajectory" ADD COLUMN "jobId" TEXT;
ALTER TABLE "Trajectory" ADD COLUMN "rollout" INTEGER;
ALTER TABLE "Trajectory" ADD COLUMN "agentStatus" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Trajectory" ADD COLUMN "infraError" TEXT NOT NULL DEFAULT '';
CREATE INDEX "Trajectory_jobId_idx" ON "Trajectory"("jobId");

ALTER TABLE "TrajectoryStep" ADD COLUMN "skipped" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "TrajectoryStep" ADD COLUMN "llmCallId" TEXT;
ALTER TABLE "TrajectoryStep" ADD COLUMN "promptTokens" INTEGER;
ALTER TABLE "TrajectoryStep" ADD COLUMN "completionTokens" INTEGER;
ALTER TABLE "TrajectoryStep" ADD COLUMN "latencyMs" INTEGER;
