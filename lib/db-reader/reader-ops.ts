/** What the database reader can do: each op reads untrusted database files and returns plain data. */
import { diffDatabasesInThisProcess } from "../diff/sqlite-diff.ts";
import { browseTable, type BrowseQuery } from "../seeddb/browse.ts";
import { readCell, type CellQuery } from "../seeddb/cell.ts";
import { danglingForeignKeys, foreignKeyViolations } from "../seeddb/foreign-keys.ts";
import { introspectSeedDb } from "../seeddb/introspect.ts";
import { mergedCopy } from "../sqlite/merged-copy.ts";

export const readerOps = {
  diff: ({ before, after }: { before: string; after: string }) => diffDatabasesInThisProcess(before, after),
  browse: ({ file, query }: { file: string; query: BrowseQuery }) => browseTable(file, query),
  cell: ({ file, query }: { file: string; query: CellQuery }) => readCell(file, query),
  introspect: ({ file }: { file: string }) => introspectSeedDb(file),
  foreignKeyViolations,
  danglingForeignKeys,
  mergedCopy,
};

export type ReaderOps = typeof readerOps;
export type ReaderOp = keyof ReaderOps;
