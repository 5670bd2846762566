/**
 * A set of environments named once and referred to by its id: the library's selection opened in
 * Datasets, and the Datasets page's own picks, travel in URLs as this id, never as a list of names
 * (1,000 names are 25 KB, past what a request line may hold: the server answered 431). The id hashes
 * the sorted names, so saving the same set again gives the same id and no new row. A selection not
 * saved again for UNUSED_DAYS is removed (a link to it then says to pick again): rows do not pile up.
 */
import crypto from "node:crypto";
import { NotFoundError } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { checkEnvironments } from "./environment-scope.ts";

const ID = /^[0-9a-f]{24}$/;
const UNUSED_DAYS = 30;

/** Stores the named environments (each must exist) as one selection; returns its id. */
export async function saveSelection(names: string[], db: StudioTx = studioDb()): Promise<string> {
  const unique = [...new Set(names)];
  await checkEnvironments(unique, db);
  const id = crypto.createHash("sha256").update(JSON.stringify([...unique].sort())).digest("hex").slice(0, 24);
  const now = new Date();
  await db.environmentSelection.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - UNUSED_DAYS * 24 * 3600 * 1000) } } });
  await db.environmentSelection.upsert({ where: { id }, create: { id, names: JSON.stringify(unique), createdAt: now }, update: { createdAt: now } });
  return id;
}

/** The names a saved selection holds, in the order saved. */
export async function selectionNames(id: string, db: StudioTx = studioDb()): Promise<string[]> {
  const row = ID.test(id) ? await db.environmentSelection.findUnique({ where: { id } }) : null;
  if (!row) throw new NotFoundError(`no saved environment selection "${id}": pick the environments again`);
  return JSON.parse(row.names) as string[];
}
