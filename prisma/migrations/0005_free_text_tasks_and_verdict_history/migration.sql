-- A run of a free-text task (AWM's `--task "<text>"`, logged with "task_id": null) has no task index.
-- SQLite cannot drop NOT NULL in place, so the table is rebuilt; foreign keys are off while a
-- migration runs (lib/store/migrate.ts), so the steps and verdicts that reference it stay.
CREATE TABLE "new_Trajectory" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "environmentName" TEXT NOT NULL,
    "taskIdx" INTEGER,
    "task" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "model" TEXT NOT NULL DEFAULT '',
    "importedFrom" TEXT NOT NULL DEFAULT '',
    "finalAnswer" TEXT,
    "stepCount" INTEGER NOT NULL DEFAULT 0,
    "initialDbFile" TEXT NOT NULL DEFAULT '',
    "finalDbFile" TEXT NOT NULL DEFAULT '',
    "raw" TEXT NOT NULL DEFAULT '',
    "replayStatus" TEXT NOT NULL DEFAULT 'none',
    "replayFinalDiff" TEXT NOT NULL DEFAULT '',
    "replayError" TEXT NOT NULL DEFAULT '',
    "verdictClass" TEXT,
    "reward" REAL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Trajectory" SELECT "id", "environmentName", "taskIdx", "task", "source", "model", "importedFrom", "finalAnswer", "stepCount", "initialDbFile", "finalDbFile", "raw", "replayStatus", "replayFinalDiff", "replayError", "verdictClass", "reward", "createdAt" FROM "Trajectory";
DROP TABLE "Trajectory";
ALTER TABLE "new_Trajectory" RENAME TO "Trajectory";
CREATE INDEX "Trajectory_environmentName_taskIdx_idx" ON "Trajectory"("environmentName", "taskIdx");

-- A judge error no longer replaces a verdict: the headline is the latest successful one, where any.
UPDATE "Trajectory" SET ("verdictClass", "reward") = (
    SELECT "classification", "reward" FROM "Verdict"
    WHERE "Verdict"."trajectoryId" = "Trajectory"."id" AND "classification" <> 'judge_error'
    ORDER BY "createdAt" DESC, "rowid" DESC LIMIT 1
)
WHERE EXISTS (SELECT 1 FROM "Verdict" WHERE "Verdict"."trajectoryId" = "Trajectory"."id" AND "classification" <> 'judge_error');
