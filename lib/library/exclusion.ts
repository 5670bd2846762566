/**
 * A person's exclusion of environments: kept in the library (badged, hidden by default) but left
 * out of `export`, `export-runs` and the Datasets page unless named there explicitly.
 */
import { studioDb, type StudioTx } from "../store/db.ts";
import { checkEnvironments } from "./environment-scope.ts";

export type ExclusionChange = { excluded: true; note?: string } | { excluded: false };

export interface ExclusionResult {
  environments: string[];
  excluded: boolean;
  note: string;
  at: string | null;
}

/**
 * Excludes (with an optional note, stamped now) or includes again every named environment; unknown
 * names fail them all. Excluding again without a note keeps the note an environment has.
 */
export async function setExclusion(names: string[], change: ExclusionChange, db: StudioTx = studioDb()): Promise<ExclusionResult> {
  await checkEnvironments(names, db);
  const note = change.excluded ? (change.note ?? "").trim() : "";
  const at = change.excluded ? new Date() : null;
  const keepNote = change.excluded && change.note === undefined;
  await db.environment.updateMany({ where: { name: { in: names } }, data: { excluded: change.excluded, excludedAt: at, ...(!keepNote && { excludedNote: note }) } });
  return { environments: names, excluded: change.excluded, note, at: at?.toISOString() ?? null };
}
