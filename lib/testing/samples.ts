import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../config/paths.ts";

/**
 * The five real third-party AWM environments are read from AWM_SAMPLES_DIR (default
 * ../shared/awm-samples) and never copied into the project. Tests on them are skipped, with the
 * reason, where the folder is absent.
 */
export function realSamplesDir(): string | undefined {
  const dir = path.resolve(process.env.AWM_SAMPLES_DIR ?? path.join(projectRoot(), "..", "shared", "awm-samples"));
  return fs.existsSync(path.join(dir, "gen_scenario.jsonl")) ? dir : undefined;
}

/** The `skip` option for node:test: false when samples are present, else the reason. */
export function skipWithoutSamples(): string | false {
  return realSamplesDir() ? false : `real AWM samples not found (set AWM_SAMPLES_DIR; looked in ${path.resolve(projectRoot(), "..", "shared", "awm-samples")})`;
}
