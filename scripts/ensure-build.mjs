#!/usr/bin/env node
// Usage: node scripts/ensure-build.mjs <dist dir>   (e.g. .next-test, .next-bench)
// Runs `next build` into that dir only when it is missing or older than the sources.
import { ensureNextBuild } from "./lib/next-build.mjs";

const distDir = process.argv[2];
if (!distDir || !distDir.startsWith(".next")) {
  console.error("usage: node scripts/ensure-build.mjs <dist dir starting with .next>");
  process.exit(2);
}
try {
  ensureNextBuild(distDir);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
