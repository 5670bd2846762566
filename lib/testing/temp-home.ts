import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A fresh AWM_STUDIO_HOME for one test file; set before anything opens the studio database. */
export function useTempStudioHome(prefix = "awm-studio-test-"): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.AWM_STUDIO_HOME = home;
  delete process.env.DATABASE_URL;
  return home;
}
