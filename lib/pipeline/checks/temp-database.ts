import fs from "node:fs";
import path from "node:path";
import { buildSeedDatabase, type SeedBuildResult } from "../../awm/seed-db.ts";
import type { SchemaRecord, SeedRecord } from "../../awm/types.ts";
import { newReaderInputFolder } from "../../untrusted-db/reader-sandbox.ts";

/** Builds schema + seed into a temporary database file, hands it to `use`, then deletes it. */
export async function withBuiltDatabase<T>(
  schema: SchemaRecord | undefined,
  seed: SeedRecord | undefined,
  use: (file: string, build: SeedBuildResult) => Promise<T> | T,
): Promise<T> {
  // Where the database reader sees it, and cannot write: the checks read it there.
  const dir = newReaderInputFolder("check-");
  try {
    const file = path.join(dir, "seed.db");
    const build = await buildSeedDatabase(file, schema, seed);
    return await use(file, build);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

