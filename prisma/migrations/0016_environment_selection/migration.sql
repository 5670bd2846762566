-- A set of environments named once and referred to by its id (lib/library/saved-selection.ts): the
-- library's selection opened in Datasets, and the Datasets page's own picks, ride in URLs as this id,
-- never as a list of names (1,000 names are 25 KB, past what a request line may hold).
CREATE TABLE "EnvironmentSelection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "names" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
