-- Every read of trajectories looks for live runs still marked running (lib/agent/live-run.ts): without
-- an index that was a scan of the whole table, 23 ms per request at 50,000 trajectories.
CREATE INDEX "Trajectory_agentStatus_idx" ON "Trajectory"("agentStatus");
