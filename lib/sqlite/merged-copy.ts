/**
 * A copy of a database in WAL mode with its -wal file merged in, as one rollback-journal file:
 * what a read-only folder can hold (a WAL reader needs a -shm beside the file). Runs in the database
 * reader: the database is untrusted (VACUUM reads every row, computed columns too).
 */
import { withUntrustedDatabase } from "./toolbox.ts";

export function mergedCopy({ source, target }: { source: string; target: string }): null {
  withUntrustedDatabase(source, (db) => db.prepare("VACUUM INTO ?").run(target));
  return null;
}
