-- Bulk triage: a person excludes an environment from what the studio hands over (export,
-- export-runs, the Datasets page) unless it is named explicitly; a note says why, and when.
ALTER TABLE "Environment" ADD COLUMN "excluded" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Environment" ADD COLUMN "excludedNote" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Environment" ADD COLUMN "excludedAt" DATETIME;
