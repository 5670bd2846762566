import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import { buildSeedDatabase, type SeedBuildResult } from "../../awm/seed-db.ts";
import type { SchemaRecord, SeedRecord } from "../../awm/types.ts";
import { openUntrustedDatabase } from "../../untrusted-db/open.ts";

/** Builds schema + seed into a temporary database file, hands it to `use`, then deletes it. */
export async function withBuiltDatabase<T>(
  schema: SchemaRecord | undefined,
  seed: SeedRecord | undefined,
  use: (file: string, build: SeedBuildResult) => Promise<T> | T,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-check-"));
  try {
    const file = path.join(dir, "seed.db");
    const build = await buildSeedDatabase(file, schema, seed);
    return await use(file, build);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function readOnlyQuery<T>(file: string, query: (db: Database.Database) => T): T {
  const db = openUntrustedDatabase(file);
  try {
    return query(db);
  } finally {
    db.close();
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
