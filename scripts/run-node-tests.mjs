#!/usr/bin/env node
// Runs node:test files of the given tiers (unit, server), chosen by file suffix:
//   *.unit.test.ts    pure library code, no processes
//   *.server.test.ts  real subprocesses: Python sandboxes, HTTP servers, the CLI
// Usage: node scripts/run-node-tests.mjs unit server [-- extra node --test args]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const tiers = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const filter = process.env.TEST_FILTER;
const skipDirs = new Set(["node_modules", ".next", "data", ".git", "e2e", "scratch"]);

function collect(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skipDirs.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) collect(full, out);
    else if (tiers.some((tier) => entry.name.endsWith(`.${tier}.test.ts`))) out.push(path.relative(root, full));
  }
  return out;
}

const files = collect(root, []).filter((file) => !filter || file.includes(filter)).sort();
if (files.length === 0) {
  console.error(`no test files for tiers: ${tiers.join(", ")}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  { cwd: root, stdio: "inherit", env: { ...process.env, AWM_STUDIO_ROOT: root } },
);
process.exit(result.status ?? 1);
