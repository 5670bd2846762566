import type { NextConfig } from "next";

const config: NextConfig = {
  // Several servers (dev, tests, benchmarks) can run from one checkout, each with its own build dir.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Native addon and child-process code stay outside the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
};

export default config;
