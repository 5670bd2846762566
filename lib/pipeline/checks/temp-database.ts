import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSeedDatabase, type SeedBuildResult } from "../../awm/seed-db.ts";
import type { SchemaRecord, SeedRecord } from "../../awm/types.ts";

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

