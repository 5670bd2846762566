import fs from "node:fs";
import { writeAwmFolder } from "../awm/export.ts";
import { InvalidInputError } from "../errors.ts";
import type { AwmBundle } from "../awm/types.ts";
import { currentArtifacts } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { VISIBLE } from "../store/environments.ts";
import { bundleFromArtifacts } from "../store/bundle.ts";
import { checkEnvironments, INCLUDED } from "./environment-scope.ts";

export interface ExportLibraryOptions {
  /**
   * Which tasks to keep per environment (by index), asked of the environments found (e.g. the
   * curated ones: export/run-selection.ts's curatedTasks): renumbered 0..n-1 in the written files,
   * verifiers with them; environments without any are left out. The result's `tasks` maps new to old indexes.
   */
  selectTasks?: (environments: string[], db: StudioTx) => Promise<ReadonlyMap<string, number[]>>;
}

/** Writes the current version of every included (see exclusion.ts) or of the named environments as AWM-format files. */
export async function exportLibrary(folder: string, names: string[] = [], options: ExportLibraryOptions = {}, db: StudioTx = studioDb()) {
  // Into a folder of AWM files (the very folder they were imported from, say), it replaced every gen_*.jsonl with the exported environments' alone.
  if (fs.existsSync(folder) && fs.readdirSync(folder).length > 0) {
    throw new InvalidInputError(`${folder} is not empty: export writes AWM files into a new or empty folder (it would replace the gen_*.jsonl files there)`);
  }
  await checkEnvironments(names, db);
  const found = await db.environment.findMany({
    where: names.length > 0 ? { name: { in: names }, ...VISIBLE } : INCLUDED,
    orderBy: { name: "asc" },
  });
  const tasks = options.selectTasks && (await options.selectTasks(found.map((env) => env.name), db));
  const environments = tasks ? found.filter((env) => (tasks.get(env.name)?.length ?? 0) > 0) : found;
  const bundles = [];
  for (const environment of environments) {
    const bundle = bundleFromArtifacts(environment.name, environment.scenario, await currentArtifacts(environment.id, db));
    const keep = tasks?.get(environment.name);
    bundles.push(keep ? onlyTasks(bundle, keep) : bundle);
  }
  const { files } = writeAwmFolder(folder, bundles);
  return { environments: environments.map((env) => env.name), files, ...(tasks && { tasks: Object.fromEntries(environments.map((env) => [env.name, tasks.get(env.name) ?? []])) }) };
}

function onlyTasks(bundle: AwmBundle, keep: number[]): AwmBundle {
  const renumber = new Map(keep.map((oldIdx, newIdx) => [oldIdx, newIdx]));
  return {
    ...bundle,
    tasks: bundle.tasks && { ...bundle.tasks, record: { ...bundle.tasks.record, tasks: keep.flatMap((idx) => bundle.tasks?.record.tasks[idx] ?? []) } },
    verifiers: bundle.verifiers.flatMap((verifier) => {
      const taskIdx = renumber.get(verifier.record.task_idx);
      return taskIdx === undefined ? [] : [{ ...verifier, record: { ...verifier.record, task_idx: taskIdx } }];
    }),
  };
}
