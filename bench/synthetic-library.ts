import fs from "node:fs";
import path from "node:path";
import { normalizeScenarioName } from "../lib/awm/normalize.ts";

/** The scenario a record belongs to: `name` in gen_scenario.jsonl, `scenario` everywhere else. */
const scenarioKey = (record: Record<string, unknown>) => ("scenario" in record ? "scenario" : "name");

function readRecords(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Writes `count` environments into `target` as AWM gen_*.jsonl files: copies of the environments in
 * `source` under new scenario names ("Rover 0007"), renamed in every record so they normalize
 * uniquely. Verifier records keep their normalized spelling. Returns the number written.
 */
export function writeSyntheticLibrary(source: string, target: string, count: number): number {
  const files = fs.readdirSync(source).filter((file) => /^gen_.*\.jsonl$/.test(file));
  const byFile = new Map(files.map((file) => [file, readRecords(path.join(source, file))]));
  const scenarios = (byFile.get("gen_scenario.jsonl") ?? []).map((record) => String(record.name));
  if (scenarios.length === 0) throw new Error(`no scenarios in ${path.join(source, "gen_scenario.jsonl")}`);
  const copies = Math.ceil(count / scenarios.length);
  const chosen = (copy: number, scenarioIndex: number) => copy * scenarios.length + scenarioIndex < count;

  fs.mkdirSync(target, { recursive: true });
  for (const [file, records] of byFile) {
    const out = fs.openSync(path.join(target, file), "w");
    try {
      for (let copy = 0; copy < copies; copy++) {
        for (const record of records) {
          const key = scenarioKey(record);
          const original = String(record[key]);
          const index = scenarios.findIndex((name) => normalizeScenarioName(name) === normalizeScenarioName(original));
          if (index < 0 || !chosen(copy, index)) continue;
          const renamed = `${scenarios[index]} ${String(copy).padStart(4, "0")}`;
          const spelled = original === normalizeScenarioName(original) ? normalizeScenarioName(renamed) : renamed;
          fs.writeSync(out, JSON.stringify({ ...record, [key]: spelled }) + "\n");
        }
      }
    } finally {
      fs.closeSync(out);
    }
  }
  return Math.min(count, copies * scenarios.length);
}
