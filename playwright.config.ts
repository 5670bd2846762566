import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { studioCookieName } from "./lib/http/gate.ts";
import { ensureStudioToken, studioTokenFile } from "./lib/http/studio-token.ts";
import { realSamplesDir } from "./lib/testing/samples.ts";

const root = path.dirname(new URL(import.meta.url).pathname);
process.env.AWM_STUDIO_ROOT ??= root;

/** An unused loopback port, found synchronously because the config is evaluated synchronously. */
function freeLoopbackPort(): string {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
}

// Chosen once in the runner process; workers evaluate this file again and inherit the values.
if (!process.env.AWM_E2E_HOME) {
  process.env.AWM_E2E_HOME = fs.mkdtempSync(path.join(os.tmpdir(), "awm-studio-e2e-"));
  process.env.AWM_E2E_PORT ??= freeLoopbackPort();
  process.env.AWM_E2E_SAMPLES_DIR = realSamplesDir() ?? "";
}
process.env.AWM_STUDIO_HOME = process.env.AWM_E2E_HOME;
delete process.env.DATABASE_URL;
process.env.NEXT_DIST_DIR ??= ".next-test";
const baseURL = `http://127.0.0.1:${process.env.AWM_E2E_PORT}`;
// The token the studio under test will find in its home; every test's browser and request context
// starts signed in with the cookie the token URL sets (e2e/hostile-web.spec.ts signs in by hand).
const token = ensureStudioToken(studioTokenFile(process.env.AWM_E2E_HOME));
const signedIn = {
  cookies: [{ name: studioCookieName(Number(process.env.AWM_E2E_PORT)), value: token, domain: "127.0.0.1", path: "/", expires: -1, httpOnly: true, secure: false, sameSite: "Strict" as const }],
  origins: [],
};

export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  outputDir: "test-results/playwright",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"], ["json", { outputFile: process.env.AWM_PLAYWRIGHT_JSON ?? "test-results/playwright-summary.json" }]],
  globalTeardown: "./e2e/support/global-teardown.ts",
  use: {
    baseURL,
    storageState: signedIn,
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download is impossible offline.
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    },
  },
  webServer: {
    command: "node --import tsx e2e/support/serve-studio.mjs",
    url: baseURL,
    // Covers a first build (skipped when .next-test is current) plus the imports.
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { NEXT_TELEMETRY_DISABLED: "1" },
  },
});
