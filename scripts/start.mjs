#!/usr/bin/env node
// `npm start`: everything a fresh machine needs, each step skipped when already done, then the
// production server in the foreground (Ctrl-C stops it).
import fs from "node:fs";
import path from "node:path";
import { ensureNpmDependencies, ensurePrismaClient, ensureSystemPackages, RUNTIME_PACKAGES } from "./lib/ensure-deps.mjs";
import { ensureNextBuild } from "./lib/next-build.mjs";
import { projectRoot, runForeground, runOrThrow, say, studioServerCommand } from "./lib/process.mjs";
import { importFolderWithCli } from "./lib/studio-cli.mjs";

// The studio's files (studio.db holds the API key, the home holds the access token) are the owner's
// only; the steps below and the server inherit this.
process.umask(0o077);

const DIST_DIR = process.env.NEXT_DIST_DIR ?? ".next";
const port = process.env.PORT ?? "3000";
const home = path.resolve(projectRoot, process.env.AWM_STUDIO_HOME ?? "data");
const env = { ...process.env, AWM_STUDIO_ROOT: projectRoot, AWM_STUDIO_HOME: home, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" };

function applyMigrations() {
  say(`studio database: applying migrations in ${home}`);
  runOrThrow(process.execPath, ["--import", "tsx", path.join(projectRoot, "scripts", "apply-migrations.ts")], { env });
}

/** The first start fills the empty library: the bundled starter library, plus AWM_SAMPLES_DIR when set. */
function importFirstLibrary() {
  const folders = [path.join(projectRoot, "library")];
  if (process.env.AWM_SAMPLES_DIR) folders.push(path.resolve(process.env.AWM_SAMPLES_DIR));
  for (const folder of folders) {
    say(`first start: importing ${folder}`);
    try {
      importFolderWithCli(folder, env);
    } catch (error) {
      // The studio still serves; the user can retry the import from the CLI or the UI.
      say(`import of ${folder} failed (${error.message}); retry with: node bin/awm-studio.mjs import ${folder}`);
    }
  }
}

try {
  ensureNpmDependencies();
  ensureSystemPackages(RUNTIME_PACKAGES);
  ensurePrismaClient();
  ensureNextBuild(DIST_DIR);
  const firstStart = !fs.existsSync(path.join(home, "studio.db"));
  applyMigrations();
  if (firstStart) importFirstLibrary();
  else say("library: already imported (studio.db exists)");
} catch (error) {
  console.error(`[awm-studio] start failed: ${error.message}`);
  process.exit(1);
}

const host = process.env.AWM_STUDIO_HOST || "127.0.0.1";
say(`starting the studio on ${host}:${port}; it prints the address to open, with its access token (Ctrl-C to stop)`);
process.exit(await runForeground(...studioServerCommand(port, host), { env }));
