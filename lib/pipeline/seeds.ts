import fs from "node:fs";
import path from "node:path";
import type { ScenarioRecord } from "../awm/types.ts";
import { CAPS } from "../config/caps.ts";
import { openInputFile, type InputFile } from "../input/input-file.ts";
import { forEachLine } from "../input/read-lines.ts";
import { messageOf } from "../errors.ts";

/**
 * Reads a seed_scenario.jsonl file: one {name, description} object a line; errors name the line.
 * Only a regular file (links must stay in its folder) under the seed file cap is read, line by line.
 */
export function readSeedScenarios(file: string): ScenarioRecord[] {
  let input: InputFile;
  try {
    input = openInputFile(path.dirname(file), path.basename(file), CAPS.seedScenariosFile);
  } catch (error) {
    throw new Error(`cannot read seed scenarios ${file}: ${messageOf(error)}`);
  }
  const seeds: ScenarioRecord[] = [];
  try {
    forEachLine(
      input,
      { line: CAPS.awmLine, file: CAPS.seedScenariosFile },
      (text, line) => {
        if (!text.trim()) return;
        const seed = parseSeed(text, `${file} line ${line}`);
        seeds.push(seed);
      },
      ({ line, message }) => {
        throw new Error(`${file} line ${line}: ${message}`);
      },
    );
  } finally {
    fs.closeSync(input.fd);
  }
  if (seeds.length === 0) throw new Error(`${file} holds no seed scenarios`);
  return seeds;
}

function parseSeed(text: string, where: string): ScenarioRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not JSON: ${messageOf(error)}`);
  }
  const record = value as Partial<ScenarioRecord> | null;
  if (typeof record?.name !== "string" || typeof record.description !== "string") {
    throw new Error(`${where}: expected {"name": string, "description": string}`);
  }
  return { name: record.name, description: record.description };
}

/** A rotating window of seeds for batch `batch`, so successive batches see different examples. */
export function seedSample(seeds: ScenarioRecord[], batch: number, size = 6): ScenarioRecord[] {
  const count = Math.min(size, seeds.length);
  return Array.from({ length: count }, (_, i) => seeds[(batch * count + i) % seeds.length]!);
}
