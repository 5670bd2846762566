/**
 * Which environments a bulk operation or an export covers: the named ones (excluded or not) after
 * checking that each exists, or, when none is named, every environment not excluded.
 */
import { NotFoundError } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { VISIBLE } from "../store/environments.ts";

export class UnknownEnvironmentError extends NotFoundError {
  constructor(readonly names: string[]) {
    super(`unknown environment(s): ${names.join(", ")}`);
  }
}

/** What "all environments" means for exports: visible and not excluded by a person. */
export const INCLUDED = { ...VISIBLE, excluded: false } as const;

/** Throws UnknownEnvironmentError naming every name the library does not have. */
export async function checkEnvironments(names: string[], db: StudioTx = studioDb()): Promise<void> {
  if (names.length === 0) return;
  const found = await db.environment.findMany({ where: { name: { in: names }, ...VISIBLE }, select: { name: true } });
  const missing = names.filter((name) => !found.some((env) => env.name === name));
  if (missing.length > 0) throw new UnknownEnvironmentError(missing);
}

/** The named environments (checked), or every included one when none is named. */
export async function scopedEnvironments(names: string[] | undefined, db: StudioTx = studioDb()): Promise<string[]> {
  if (names && names.length > 0) {
    await checkEnvironments(names, db);
    return names;
  }
  const rows = await db.environment.findMany({ where: INCLUDED, select: { name: true }, orderBy: { name: "asc" } });
  return rows.map((row) => row.name);
}
