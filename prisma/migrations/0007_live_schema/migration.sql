-- What the last instance start showed of the live schema (tables the code created or changed), as
-- JSON { key, issues }; its issues are kept while the code and schema it was observed with are current.
ALTER TABLE "Environment" ADD COLUMN "liveSchema" TEXT NOT NULL DEFAULT '';
