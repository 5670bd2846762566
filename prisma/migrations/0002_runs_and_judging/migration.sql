-- CreateTable
CREATE TABLE "Trajectory" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "environmentName" TEXT NOT NULL,
    "taskIdx" INTEGER NOT NULL,
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

-- CreateTable
CREATE TABLE "TrajectoryStep" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "trajectoryId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "content" TEXT NOT NULL DEFAULT '',
    "toolCallId" TEXT,
    "toolName" TEXT,
    "toolArguments" TEXT,
    "toolResponse" TEXT,
    "isError" BOOLEAN NOT NULL DEFAULT false,
    "isFinal" BOOLEAN NOT NULL DEFAULT false,
    "malformed" BOOLEAN NOT NULL DEFAULT false,
    "diff" TEXT NOT NULL DEFAULT '',
    "cumulativeDiff" TEXT NOT NULL DEFAULT '',
    "durationMs" INTEGER,
    CONSTRAINT "TrajectoryStep_trajectoryId_fkey" FOREIGN KEY ("trajectoryId") REFERENCES "Trajectory" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Verdict" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "trajectoryId" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "classification" TEXT NOT NULL,
    "reward" REAL NOT NULL,
    "reasoning" TEXT NOT NULL DEFAULT '',
    "confidence" TEXT NOT NULL DEFAULT '{}',
    "evidence" TEXT NOT NULL DEFAULT '{}',
    "verifierOutput" TEXT NOT NULL DEFAULT '',
    "error" TEXT NOT NULL DEFAULT '',
    "llmCallId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Verdict_trajectoryId_fkey" FOREIGN KEY ("trajectoryId") REFERENCES "Trajectory" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LlmCall" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stage" TEXT NOT NULL,
    "scenario" TEXT NOT NULL DEFAULT '',
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "model" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "request" TEXT NOT NULL,
    "response" TEXT NOT NULL DEFAULT '',
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "Trajectory_environmentName_taskIdx_idx" ON "Trajectory"("environmentName", "taskIdx");

-- CreateIndex
CREATE UNIQUE INDEX "TrajectoryStep_trajectoryId_ordinal_key" ON "TrajectoryStep"("trajectoryId", "ordinal");

-- CreateIndex
CREATE INDEX "Verdict_trajectoryId_idx" ON "Verdict"("trajectoryId");

-- CreateIndex
CREATE INDEX "LlmCall_stage_createdAt_idx" ON "LlmCall"("stage", "createdAt");
