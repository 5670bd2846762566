/**
 * Which environments a bulk operation or an export covers: the named ones (excluded or not) after
 * checking that each exists, or, when none is named, every environment not excluded.
 */
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { VISIBLE } from "../store/environments.ts";

const NAMES_IN_MESSAGE = 20;

export class UnknownEnvironmentError extends NotFoundError {
  constructor(readonly names: string[]) {
    const named = names.slice(0, NAMES_IN_MESSAGE).join(", ");
    super(`unknown environment(s): ${names.length > NAMES_IN_MESSAGE ? `${named} and ${names.length - NAMES_IN_MESSAGE} more` : named}`);
  }
}

/**
 * Environments one request may name: each is a bound value of one query, and SQLite takes at most
 * SQLITE_MAX_BOUND_VALUES (32,766, lib/store/db.ts), with room left for the query's other values.
 * AWM's library is 1,000.
 */
export const MAX_NAMED_ENVIRONMENTS = 30_000;

/** What "all environments" means for exports: visible and not excluded by a person. */
export const INCLUDED = { ...VISIBLE, excluded: false } as const;

/** Throws UnknownEnvironmentError naming every name the library does not have. */
export async function checkEnvironments(names: string[], db: StudioTx = studioDb()): Promise<void> {
  if (names.length === 0) return;
  if (names.length > MAX_NAMED_ENVIRONMENTS) {
    throw new InvalidInputError(`${names.length.toLocaleString("en-US")} environments named: one request names at most ${MAX_NAMED_ENVIRONMENTS.toLocaleString("en-US")} (name none for all of them)`);
  }
  const found = await db.environment.findMany({ where: { name: { in: names }, ...VISIBLE }, select: { name: true } });
  const have = new Set(found.map((env) => env.name));
  const missing = names.filter((name) => !have.has(name));
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
