// The studio's own CLI, run as a subprocess by the start and test scripts.
import path from "node:path";
import { projectRoot, runOrThrow } from "./process.mjs";

/** Imports an AWM folder into the studio at env.AWM_STUDIO_HOME; throws when the CLI fails. */
export function importFolderWithCli(folder, env = process.env) {
  runOrThrow(process.execPath, [path.join(projectRoot, "bin", "awm-studio.mjs"), "import", folder], { env: { ...env, AWM_STUDIO_ROOT: projectRoot } });
}
