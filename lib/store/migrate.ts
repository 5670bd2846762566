import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { messageOf } from "../errors.ts";

/**
 * Applies prisma/migrations/<name>/migration.sql in order. The Prisma CLI cannot run its schema
 * engine on machines without network, so the studio applies its own migrations at start-up and
 * records them in Prisma's `_prisma_migrations` table, where `prisma migrate` would find them.
 * Foreign keys are off while they run, as SQLite's table rebuilds need (dropping a parent table
 * would otherwise cascade to its children), and checked before each migration commits.
 */
export function applyMigrations(databaseFile: string, migrationsFolder: string): string[] {
  fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
  const db = new Database(databaseFile);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const applied = new Set(
      db.prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`).pluck().all() as string[],
    );
    const names = fs
      .readdirSync(migrationsFolder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const newlyApplied: string[] = [];
    db.pragma("foreign_keys = OFF");
    for (const name of names) {
      if (applied.has(name)) continue;
      const file = path.join(migrationsFolder, name, "migration.sql");
      const sql = fs.readFileSync(file, "utf8");
      const checksum = crypto.createHash("sha256").update(sql).digest("hex");
      const apply = db.transaction(() => {
        try {
          db.exec(sql);
        } catch (error) {
          throw new Error(`migration ${name} (${file}) failed: ${messageOf(error)}`);
        }
        const broken = db.pragma("foreign_key_check") as { table: string; parent: string }[];
        if (broken.length > 0) throw new Error(`migration ${name} (${file}) left ${broken.length} row(s) whose foreign key points nowhere (first: ${broken[0]!.table} → ${broken[0]!.parent})`);
        db.prepare(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES (?, ?, current_timestamp, ?, 1)`,
        ).run(crypto.randomUUID(), checksum, name);
      });
      apply();
      newlyApplied.push(name);
    }
    return newlyApplied;
  } finally {
    db.close();
  }
}
