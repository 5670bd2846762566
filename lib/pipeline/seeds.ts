import fs from "node:fs";
import type { ScenarioRecord } from "../awm/types.ts";

/** Reads a seed_scenario.jsonl file: one {name, description} object a line; errors name the line. */
export function readSeedScenarios(file: string): ScenarioRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read seed scenarios ${file}: ${(error as Error).message}`);
  }
  const seeds: ScenarioRecord[] = [];
  text.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file} line ${index + 1}: not JSON: ${(error as Error).message}`);
    }
    const record = value as Partial<ScenarioRecord>;
    if (typeof record.name !== "string" || typeof record.description !== "string") {
      throw new Error(`${file} line ${index + 1}: expected {"name": string, "description": string}`);
    }
    seeds.push({ name: record.name, description: record.description });
  });
  if (seeds.length === 0) throw new Error(`${file} holds no seed scenarios`);
  return seeds;
}

/** A rotating window of seeds for batch `batch`, so successive batches see different examples. */
export function seedSample(seeds: ScenarioRecord[], batch: number, size = 6): ScenarioRecord[] {
  const count = Math.min(size, seeds.length);
  return Array.from({ length: count }, (_, i) => seeds[(batch * count + i) % seeds.length]!);
}
