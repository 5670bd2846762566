import type { NextConfig } from "next";

const config: NextConfig = {
  // Several servers (dev, tests, benchmarks) can run from one checkout, each with its own build dir.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Native addon and child-process code stay outside the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  // npm test and the benchmark run `tsc --noEmit` on the whole tree first; their builds skip the repeat.
  typescript: { ignoreBuildErrors: process.env.AWM_SKIP_BUILD_TYPECHECK === "1" },
  devIndicators: false,
  // No advertising of the framework to whoever probes the port.
  poweredByHeader: false,
};

export default config;
