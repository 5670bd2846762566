// `next build` into a given dist dir, skipped when that build is newer than every source it depends on.
import fs from "node:fs";
import path from "node:path";
import { nodeBin, projectRoot, runOrThrow, say } from "./process.mjs";

// tsconfig.json is left out: `next build` itself rewrites it (adding its dist dir's type folders).
const SOURCE_ENTRIES = ["app", "components", "lib", "prisma", "public", "instrumentation.ts", "next.config.ts", "package.json", "package-lock.json"];
// Generated code follows prisma/schema.prisma, and tests never reach the build.
const IGNORED_DIRS = new Set(["generated", "node_modules"]);
const isTestFile = (name) => /\.test\.tsx?$/.test(name);
const STAMP_FILE = "awm-build-stamp.json";

/** Newest modification time among the build's sources; directories count, so deletions do too. */
function newestSourceMtime() {
  let newest = 0;
  const visit = (file) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs);
      for (const entry of fs.readdirSync(file)) if (!IGNORED_DIRS.has(entry) && !isTestFile(entry)) visit(path.join(file, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of SOURCE_ENTRIES) visit(path.join(projectRoot, entry));
  return newest;
}

function recordedSourceMtime(distDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(projectRoot, distDir, STAMP_FILE), "utf8")).sourceMtimeMs;
  } catch {
    return undefined;
  }
}

/** Builds the app into distDir unless a build from the current sources is already there. */
export function ensureNextBuild(distDir) {
  const sourceMtimeMs = newestSourceMtime();
  const built = recordedSourceMtime(distDir);
  const hasBuild = fs.existsSync(path.join(projectRoot, distDir, "BUILD_ID"));
  if (hasBuild && built !== undefined && built >= sourceMtimeMs) {
    say(`next build (${distDir}): up to date`);
    return;
  }
  say(`next build (${distDir}): ${hasBuild ? "sources changed, rebuilding" : "building"}`);
  runOrThrow(nodeBin("next"), ["build"], { env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" } });
  // The time taken before the build, so an edit made while it ran still counts as newer.
  fs.writeFileSync(path.join(projectRoot, distDir, STAMP_FILE), JSON.stringify({ sourceMtimeMs }) + "\n");
}
