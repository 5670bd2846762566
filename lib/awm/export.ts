import fs from "node:fs";
import path from "node:path";
import { AWM_FILES, type AwmBundle, type Located, type VerifierMode } from "./types.ts";

/**
 * Writes bundles back as AWM gen_*.jsonl files, one stored record per line, so that reading the
 * folder again gives the same JSON values. Files with no records are not written, and a stale copy
 * of such a file in `dir` is removed, so the folder holds exactly these bundles. Each file is
 * written to a temporary name and renamed into place. Returns the paths written.
 */
export function writeAwmFolder(dir: string, bundles: AwmBundle[]): { files: string[] } {
  const single = (pick: (bundle: AwmBundle) => Located<object> | undefined) => bundles.flatMap((bundle) => pick(bundle)?.record ?? []);
  const verifiers = (mode: VerifierMode) =>
    bundles.flatMap((bundle) =>
      bundle.verifiers.filter((verifier) => verifier.record.mode === mode).map((verifier) => withoutMode(verifier.record)),
    );
  const contents: [string, object[]][] = [
    [AWM_FILES.scenario, single((bundle) => bundle.scenarioRecord)],
    [AWM_FILES.tasks, single((bundle) => bundle.tasks)],
    [AWM_FILES.schema, single((bundle) => bundle.schema)],
    [AWM_FILES.seed, single((bundle) => bundle.seed)],
    [AWM_FILES.spec, single((bundle) => bundle.spec)],
    [AWM_FILES.code, single((bundle) => bundle.code)],
    [AWM_FILES.verifierSql, verifiers("sql")],
    [AWM_FILES.verifierCode, verifiers("code")],
  ];
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [name, records] of contents) {
    const file = path.join(dir, name);
    if (records.length === 0) {
      fs.rmSync(file, { force: true });
      continue;
    }
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, records.map((record) => `${JSON.stringify(record)}\n`).join(""));
    fs.renameSync(tmp, file);
    files.push(file);
  }
  return { files };
}

/** `mode` is the studio's note of which file a verifier came from, not part of the AWM record. */
function withoutMode<T extends { mode: unknown }>(record: T): Omit<T, "mode"> {
  const { mode: _mode, ...rest } = record;
  return rest;
}
