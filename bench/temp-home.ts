import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeStudioDb, studioDb } from "../lib/store/db.ts";

/**
 * Points the studio at a fresh AWM_STUDIO_HOME (migrations applied, so timings cover only the work
 * being measured) and returns it. The previous home's database connection is closed first.
 */
export async function freshStudioHome(prefix: string): Promise<string> {
  await closeStudioDb();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.AWM_STUDIO_HOME = home;
  delete process.env.DATABASE_URL;
  await studioDb().$queryRawUnsafe("SELECT 1");
  return home;
}

export function removeHome(home: string): void {
  fs.rmSync(home, { recursive: true, force: true });
}
