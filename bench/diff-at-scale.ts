import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { diffDatabases } from "../lib/diff/sqlite-diff.ts";
import { failed, measured, progress, type Measurement } from "./measurement.ts";
import { removeHome } from "./temp-home.ts";

export const DIFF_GOAL_MS = 200;
const ROWS = 100_000;
/** 1% of the rows change: updated, inserted and deleted. */
const CHANGES = { updated: 800, inserted: 100, deleted: 100 };

function writeBeforeDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, status TEXT NOT NULL, quantity INTEGER NOT NULL, total REAL NOT NULL, updated_at TEXT NOT NULL)");
    const insert = db.prepare("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)");
    db.transaction(() => {
      for (let id = 1; id <= ROWS; id++) insert.run(id, `customer-${id % 997}`, "placed", 1 + (id % 7), (id % 1000) / 10, "2026-01-01 10:00:00");
    })();
  } finally {
    db.close();
  }
}

/** Spreads the changes over the whole table: updates every 100th row, deletes others, appends rows. */
function applyChanges(file: string): void {
  const db = new Database(file);
  try {
    db.transaction(() => {
      const update = db.prepare("UPDATE orders SET status = 'shipped', quantity = quantity + 1, updated_at = '2026-02-01 09:00:00' WHERE id = ?");
      for (let index = 0; index < CHANGES.updated; index++) update.run(1 + index * 100);
      const remove = db.prepare("DELETE FROM orders WHERE id = ?");
      for (let index = 0; index < CHANGES.deleted; index++) remove.run(50 + index * 1000);
      const insert = db.prepare("INSERT INTO orders VALUES (?, ?, 'placed', 1, 9.5, '2026-02-01 09:00:00')");
      for (let index = 1; index <= CHANGES.inserted; index++) insert.run(ROWS + index, `new-customer-${index}`);
    })();
  } finally {
    db.close();
  }
}

/** diffDatabases between two databases of 100,000 rows with 1% of them changed; median of `runs` after a warm-up. */
export async function measureDiffAtScale(runs: number): Promise<Measurement> {
  const name = `diff.${ROWS}_rows_1_percent_changed`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-bench-diff-"));
  try {
    const before = path.join(dir, "before.db");
    const after = path.join(dir, "after.db");
    writeBeforeDatabase(before);
    fs.copyFileSync(before, after);
    applyChanges(after);
    const diff = await diffDatabases(before, after);
    const orders = diff.tables.orders;
    const found = { updated: orders?.updated.length, inserted: orders?.inserted.length, deleted: orders?.deleted.length };
    if (JSON.stringify(found) !== JSON.stringify(CHANGES)) throw new Error(`the diff found ${JSON.stringify(found)}, expected ${JSON.stringify(CHANGES)}`);
    const samples: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const started = performance.now();
      await diffDatabases(before, after);
      samples.push(performance.now() - started);
    }
    progress(`${name}: ${samples.map((sample) => sample.toFixed(0)).join(", ")} ms`);
    return measured(name, samples, "ms", DIFF_GOAL_MS, `one table (INTEGER PRIMARY KEY + 5 columns), ${CHANGES.updated} updated, ${CHANGES.inserted} inserted, ${CHANGES.deleted} deleted rows; after a warm-up diff`);
  } catch (error) {
    return failed(name, "ms", DIFF_GOAL_MS, error);
  } finally {
    removeHome(dir);
  }
}
