-- The tools an environment's code serves (its OpenAPI catalog, as MCP lists them and agents get them),
-- recorded at the first instance start of each code (lib/library/served-tools.ts): exports give
-- trainers these, not the spec's, whenever the code they were served by is the current one.
ALTER TABLE "Environment" ADD COLUMN "servedTools" TEXT NOT NULL DEFAULT '';
