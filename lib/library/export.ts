import { writeAwmFolder } from "../awm/export.ts";
import { currentArtifacts } from "../store/artifacts.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { VISIBLE } from "../store/environments.ts";
import { bundleFromArtifacts } from "./bundle.ts";

export class UnknownEnvironmentError extends Error {
  constructor(readonly names: string[]) {
    super(`unknown environment(s): ${names.join(", ")}`);
  }
}

/** Writes the current version of every (or the named) environment as AWM-format files. */
export async function exportLibrary(folder: string, names: string[] = [], db: StudioTx = studioDb()) {
  const environments = await db.environment.findMany({
    where: names.length > 0 ? { name: { in: names }, ...VISIBLE } : VISIBLE,
    orderBy: { name: "asc" },
  });
  const missing = names.filter((name) => !environments.some((env) => env.name === name));
  if (missing.length > 0) throw new UnknownEnvironmentError(missing);
  const bundles = [];
  for (const environment of environments) {
    bundles.push(bundleFromArtifacts(environment.name, environment.scenario, await currentArtifacts(environment.id, db)));
  }
  const { files } = writeAwmFolder(folder, bundles);
  return { environments: environments.map((env) => env.name), files };
}
