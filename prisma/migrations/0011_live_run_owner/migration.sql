-- A live agent run (one not in a rollout job) names the studio process playing it, with a heartbeat,
-- so that a run whose process died is not shown as running forever.
ALTER TABLE "Trajectory" ADD COLUMN "agentOwner" TEXT NOT NULL DEFAULT '';
