import path from "node:path";
import { readAwmFolder } from "../lib/awm/read-folder.ts";
import { buildSeedDatabase } from "../lib/awm/seed-db.ts";
import type { AwmBundle } from "../lib/awm/types.ts";
import type { EnvironmentInstance } from "../lib/runtime/instance.ts";
import type { Tool } from "../lib/runtime/tool-catalog.ts";

export interface BenchEnvironment {
  /** The studio's (normalized) environment name. */
  name: string;
  code: string;
  seedDbFile: string;
  bundle: AwmBundle;
}

/** The environments of an AWM folder that have interface code, each with a seed database built under `workDir`. */
export async function loadBenchEnvironments(folder: string, workDir: string): Promise<BenchEnvironment[]> {
  const { bundles, errors } = readAwmFolder(folder);
  const environments: BenchEnvironment[] = [];
  for (const bundle of bundles.filter((candidate) => candidate.code?.record.full_code)) {
    const seedDbFile = path.join(workDir, `${bundle.name}.seed.db`);
    await buildSeedDatabase(seedDbFile, bundle.schema?.record, bundle.seed?.record);
    environments.push({ name: bundle.name, code: bundle.code!.record.full_code, seedDbFile, bundle });
  }
  if (environments.length === 0) throw new Error(`no environment with interface code in ${folder}: ${JSON.stringify(errors).slice(0, 500)}`);
  return environments;
}

/** The first read-only tool that needs no arguments and answers 200 on the seed data: what every episode's first look does. */
export async function pickReadOnlyTool(instance: EnvironmentInstance, environment: string): Promise<Tool> {
  for (const tool of instance.tools()) {
    if (tool.changesState || tool.inputSchema.required.length > 0) continue;
    if ((await instance.callTool(tool.name, {})).status === 200) return tool;
  }
  throw new Error(`${environment} has no read-only tool without required arguments that answers 200`);
}
