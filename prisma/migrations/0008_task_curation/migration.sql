-- Task curation: a person's marks on tasks, and what each verifier did on (seed, seed) at the last
-- verifier-health check (the no-op run of a task's status, see lib/curation/task-status.ts).
CREATE TABLE "TaskMark" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "environmentName" TEXT NOT NULL,
    "taskIdx" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "trajectoryId" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "TaskMark_environmentName_taskIdx_idx" ON "TaskMark"("environmentName", "taskIdx");

CREATE TABLE "VerifierHealthCheck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "environmentId" TEXT NOT NULL,
    "taskIdx" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "output" TEXT NOT NULL DEFAULT '',
    "error" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "VerifierHealthCheck_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "VerifierHealthCheck_environmentId_idx" ON "VerifierHealthCheck"("environmentId");

-- Review at scale: a person's tags ("reward hacking", "environment bug", "verifier wrong", free
-- tags) as a JSON array of strings, and a note, on any trajectory.
ALTER TABLE "Trajectory" ADD COLUMN "tags" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Trajectory" ADD COLUMN "reviewNote" TEXT NOT NULL DEFAULT '';
