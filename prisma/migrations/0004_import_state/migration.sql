-- Environments an import has not finished are hidden (new) or flagged (stale) until it completes.
ALTER TABLE "Environment" ADD COLUMN "importState" TEXT NOT NULL DEFAULT 'complete';

-- Import runs record their owner process and finished environments, so a dead run can be resumed.
ALTER TABLE "ImportRun" ADD COLUMN "progress" TEXT NOT NULL DEFAULT '{}';
