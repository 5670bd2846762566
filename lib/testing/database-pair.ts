import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

/** Pairs of database files in one temp folder, removed by `remove`. */
export function databasePairs() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sqlite-diff-"));
  let counter = 0;
  return {
    dir,
    /** `before` built by `setup`, `after` = a copy of it changed by `change`. */
    pair(setup: string, change: string): { before: string; after: string } {
      counter += 1;
      const before = path.join(dir, `before-${counter}.db`);
      const after = path.join(dir, `after-${counter}.db`);
      const db = new Database(before);
      db.exec(setup);
      db.close();
      fs.copyFileSync(before, after);
      const changed = new Database(after);
      changed.exec(change);
      changed.close();
      return { before, after };
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
