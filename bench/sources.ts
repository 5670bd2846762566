import fs from "node:fs";
import path from "node:path";
import { starterLibraryDir } from "../lib/config/paths.ts";
import { realSamplesDir } from "../lib/testing/samples.ts";

export interface BenchSource {
  label: string;
  folder: string;
}

/** The real samples and the bundled starter library, those that are present. */
export function benchSources(): BenchSource[] {
  const candidates = [
    { label: "real_samples", folder: realSamplesDir() },
    { label: "starter_library", folder: path.resolve(starterLibraryDir()) },
  ];
  const present = candidates.filter((source): source is BenchSource => Boolean(source.folder && fs.existsSync(path.join(source.folder, "gen_scenario.jsonl"))));
  if (present.length === 0) throw new Error(`neither the real samples nor the starter library (${starterLibraryDir()}) were found`);
  return present;
}
