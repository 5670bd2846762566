/** Verification figures: verifier throughput, database diff at scale, and the trajectory page's render time. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { measureDiffAtScale } from "./diff-at-scale.ts";
import { loadBenchEnvironments } from "./environments.ts";
import { failed, progress, type Measurement } from "./measurement.ts";
import type { BenchSource } from "./sources.ts";
import type { StudioServer } from "./studio-server.ts";
import { measureTrajectoryPage, TRAJECTORY_RENDER_GOAL_MS } from "./trajectory-page.ts";
import { measureVerifierThroughput } from "./verifier-throughput.ts";
import { removeHome } from "./temp-home.ts";

const DIFF_RUNS = 7;
const PAGE_LOADS = 5;

export async function measureVerification(source: BenchSource, runs: number, studioServer: () => Promise<StudioServer>): Promise<Measurement[]> {
  progress("verifier throughput");
  const throughput = await measureVerifierThroughput(source, runs);
  progress("diff of 100,000 rows");
  const diff = await measureDiffAtScale(DIFF_RUNS);
  progress("trajectory page");
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-bench-verification-"));
  try {
    const [environment] = await loadBenchEnvironments(source.folder, workDir);
    return [...throughput, diff, ...(await measureTrajectoryPage(environment!, await studioServer(), PAGE_LOADS))];
  } catch (error) {
    return [...throughput, diff, failed("trajectory_page.100_steps_rendered", "ms", TRAJECTORY_RENDER_GOAL_MS, error)];
  } finally {
    removeHome(workDir);
  }
}
