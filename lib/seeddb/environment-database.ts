import { NotFoundError } from "../errors.ts";
import { studioDb, type StudioTx } from "../store/db.ts";
import { loadEnvironment } from "../store/load-environment.ts";
import { readUntrusted } from "../untrusted-db/reader.ts";
import type { BrowsePage, BrowseQuery } from "./browse.ts";
import type { CellQuery, FullCell } from "./cell.ts";
import type { SeedTable } from "./introspect.ts";
import { brokenTables, seedFailures, type BrokenTable, type SeedFailure } from "./problems.ts";

/** What the Schema and Data tabs show about an environment's seed database. */
export interface DatabaseDescription {
  tables: SeedTable[];
  broken: BrokenTable[];
  seedFailures: SeedFailure[];
  /** Set when there is no seed database to read (nothing built yet), with the reason. */
  missing?: string;
}

export async function describeEnvironmentDatabase(name: string, db: StudioTx = studioDb()): Promise<DatabaseDescription> {
  const environment = await loadEnvironment(name, { artifacts: ["schema", "seed"], issues: true }, db);
  const { schema, seed } = environment.artifacts;
  let tables: SeedTable[] = [];
  let missing: string | undefined;
  try {
    tables = await readUntrusted("introspect", { file: environment.seedDbFile });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    missing = error.message;
  }
  return {
    tables,
    broken: brokenTables(schema?.record.db_schema.tables ?? [], tables.map((t) => t.name), environment.issues),
    seedFailures: seedFailures(seed?.record, environment.issues),
    ...(missing !== undefined && { missing }),
  };
}

export async function browseEnvironmentTable(name: string, query: BrowseQuery, db: StudioTx = studioDb()): Promise<BrowsePage> {
  const environment = await loadEnvironment(name, {}, db);
  return readUntrusted("browse", { file: environment.seedDbFile, query });
}

/** One whole cell of the seed database (capped at CELL_FETCH_CAP), for a cell a page showed truncated. */
export async function readEnvironmentCell(name: string, query: CellQuery, db: StudioTx = studioDb()): Promise<FullCell> {
  const environment = await loadEnvironment(name, {}, db);
  return readUntrusted("cell", { file: environment.seedDbFile, query });
}
