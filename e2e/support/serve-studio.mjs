#!/usr/bin/env node
// Playwright's web server: builds the app into NEXT_DIST_DIR when outdated, fills the test's own
// AWM_STUDIO_HOME with the starter library (and the real samples when given), starts a scripted
// model, then serves the production build on loopback until Playwright stops it.
import fs from "node:fs";
import path from "node:path";
import { ensureNextBuild } from "../../scripts/lib/next-build.mjs";
import { projectRoot, runForeground, say, studioServerCommand } from "../../scripts/lib/process.mjs";
import { importFolderWithCli } from "../../scripts/lib/studio-cli.mjs";
import { startScriptedLlm } from "../../lib/testing/scripted-llm.ts";
import { studioScriptedModel } from "./scripted-llm-model.ts";

const { AWM_STUDIO_HOME: home, NEXT_DIST_DIR: distDir, AWM_E2E_PORT: port, AWM_E2E_SAMPLES_DIR: samplesDir } = process.env;
if (!home || !distDir || !port) {
  console.error("serve-studio.mjs needs AWM_STUDIO_HOME, NEXT_DIST_DIR and AWM_E2E_PORT (playwright.config.ts sets them)");
  process.exit(2);
}

try {
  ensureNextBuild(distDir);
  for (const folder of [path.join(projectRoot, "library"), samplesDir].filter(Boolean)) {
    say(`e2e: importing ${folder} into ${home}`);
    importFolderWithCli(folder);
  }
} catch (error) {
  console.error(`e2e server setup failed: ${error.message}`);
  // Playwright skips the global teardown when its web server never started.
  fs.rmSync(home, { recursive: true, force: true });
  process.exit(1);
}
// The studio under test talks to a scripted OpenAI-compatible model on loopback (pipeline and agent specs).
const scriptedLlm = await startScriptedLlm(studioScriptedModel);
Object.assign(process.env, { OPENAI_BASE_URL: scriptedLlm.baseUrl, OPENAI_API_KEY: "scripted", AWM_STUDIO_GEN_MODEL: "scripted", AWM_STUDIO_AGENT_MODEL: "scripted" });
process.exit(await runForeground(...studioServerCommand(port)));
