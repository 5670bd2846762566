#!/usr/bin/env node
// `npm test`: the whole suite on a clean clone. Installs what is missing, then type check, lint,
// unit and server tiers, a production build and the browser tests. Ends with one line
// "N passed, N failed[, N skipped]" counting tests over all tiers; a check that is not a test
// runner (type check, lint, build) counts as one failed test when it fails.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BROWSER_PACKAGES, ensureNpmDependencies, ensurePrismaClient, ensureSystemPackages, RUNTIME_PACKAGES } from "./lib/ensure-deps.mjs";
import { ensureNextBuild } from "./lib/next-build.mjs";
import { nodeBin, projectRoot, runTee } from "./lib/process.mjs";
import { nodeTestCounts, playwrightCounts } from "./lib/test-counts.mjs";

const TEST_DIST_DIR = ".next-test";
const PLAYWRIGHT_JSON = path.join(projectRoot, "test-results", "playwright-summary.json");

// The type check below covers the whole tree; the production build need not repeat it.
process.env.AWM_SKIP_BUILD_TYPECHECK = "1";

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
// Tests write only to temp homes; this one catches anything that would fall back to ./data.
const runHome = fs.mkdtempSync(path.join(os.tmpdir(), "awm-studio-test-run-"));
const env = { ...process.env, AWM_STUDIO_ROOT: projectRoot, AWM_STUDIO_HOME: runHome, NEXT_TELEMETRY_DISABLED: "1" };

function header(title) {
  console.log(`\n======== ${title} ========`);
}

function fail(stage, reason) {
  failures.push(`${stage}: ${reason}`);
  totals.failed += 1;
}

function add(counts) {
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
}

/** A setup or check step that throws on failure; returns whether it succeeded. */
function step(title, action) {
  header(title);
  try {
    action();
    return true;
  } catch (error) {
    console.error(error.message);
    fail(title, error.message);
    return false;
  }
}

async function check(title, command, args) {
  header(title);
  const { code } = await runTee(command, args, { env });
  if (code !== 0) fail(title, `exit status ${code}`);
}

async function nodeTier(tier) {
  const title = `${tier} tests`;
  header(title);
  const { code, text } = await runTee(process.execPath, [path.join(projectRoot, "scripts", "run-node-tests.mjs"), tier], { env });
  if (text.includes("no test files for tiers")) return;
  const counts = nodeTestCounts(text);
  add(counts);
  if (!counts.found) fail(title, `no test summary in the output (exit status ${code})`);
  else if (code !== 0 && counts.failed === 0) fail(title, `exit status ${code} with no failed test reported`);
}

async function browserTier() {
  const title = "browser tests (Playwright)";
  header(title);
  fs.rmSync(PLAYWRIGHT_JSON, { force: true });
  const { code } = await runTee(nodeBin("playwright"), ["test"], {
    env: { ...env, NEXT_DIST_DIR: TEST_DIST_DIR, AWM_PLAYWRIGHT_JSON: PLAYWRIGHT_JSON },
  });
  let report;
  try {
    report = JSON.parse(fs.readFileSync(PLAYWRIGHT_JSON, "utf8"));
  } catch {
    fail(title, `no JSON report at ${PLAYWRIGHT_JSON} (exit status ${code})`);
    return;
  }
  const counts = playwrightCounts(report);
  add(counts);
  if (code !== 0 && counts.failed === 0) fail(title, `exit status ${code} with no failed test reported`);
  for (const error of report.errors ?? []) console.error(`playwright: ${error.message ?? JSON.stringify(error)}`);
}

function summarize() {
  fs.rmSync(runHome, { recursive: true, force: true });
  header("summary");
  for (const failure of failures) console.log(`FAILED ${failure}`);
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : "";
  console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

const samples = path.resolve(process.env.AWM_SAMPLES_DIR ?? path.join(projectRoot, "..", "shared", "awm-samples"));
console.log(`real AWM samples: ${fs.existsSync(path.join(samples, "gen_scenario.jsonl")) ? samples : `absent (${samples}); tests on them are skipped`}`);

const ready =
  step("npm dependencies", ensureNpmDependencies) &&
  step("system packages", () => ensureSystemPackages([...RUNTIME_PACKAGES, ...BROWSER_PACKAGES])) &&
  step("prisma generate", ensurePrismaClient);
if (!ready) summarize();

await check("type check (tsc --noEmit)", nodeBin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
await check("lint (eslint)", nodeBin("eslint"), ["."]);
await nodeTier("unit");
await nodeTier("server");
if (step(`next build (${TEST_DIST_DIR})`, () => ensureNextBuild(TEST_DIST_DIR))) await browserTier();
summarize();
