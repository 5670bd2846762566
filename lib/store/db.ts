import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { migrationsDir, studioDatabaseUrl, studioHome } from "../config/paths.ts";
import { createFilesOwnerOnly, ensurePrivateHome, makeDatabasePrivate } from "../config/private-files.ts";
import { PrismaClient } from "./generated/client.ts";
import { applyMigrations } from "./migrate.ts";

export type StudioDb = PrismaClient;
/** A Prisma client or an interactive transaction: data access functions accept either. */
export type StudioTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForPrisma = globalThis as unknown as { awmStudioPrisma?: PrismaClient };

/**
 * Per connection. In WAL mode, NORMAL syncs at checkpoints instead of at every commit: a commit
 * survives the process being killed (it is in the WAL, written), only a power cut can take the last
 * ones back, never the database's integrity. With FULL, every write waited for an fsync, on the
 * event loop, a few times per agent step.
 */
const CONNECTION_PRAGMAS = "PRAGMA synchronous = NORMAL;";

/**
 * Bound values one statement takes: better-sqlite3's SQLite is built with SQLITE_MAX_VARIABLE_NUMBER
 * 32,766. Prisma assumes SQLite's old 999 unless told, and refuses (does not split) a query such as a
 * groupBy over 1,000 environment names.
 */
export const SQLITE_MAX_BOUND_VALUES = 32_766;

class StudioSqlite extends PrismaBetterSqlite3 {
  override async connect(): ReturnType<PrismaBetterSqlite3["connect"]> {
    const adapter = await super.connect();
    await adapter.executeScript(CONNECTION_PRAGMAS);
    adapter.getConnectionInfo = () => ({ maxBindValues: SQLITE_MAX_BOUND_VALUES, supportsRelationJoins: false });
    return adapter;
  }
}

function databaseFile(url: string): string {
  if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must be a SQLite file: URL, got ${url}`);
  return url.slice("file:".length);
}

/**
 * The studio's Prisma client, created once per process after migrations are applied. A process that
 * opens it writes studio files, so from then on it creates them owner-only (the database holds the API key).
 */
export function studioDb(): PrismaClient {
  if (!globalForPrisma.awmStudioPrisma) {
    createFilesOwnerOnly();
    ensurePrivateHome(studioHome());
    const url = studioDatabaseUrl();
    applyMigrations(databaseFile(url), migrationsDir());
    makeDatabasePrivate(databaseFile(url));
    const adapter = new StudioSqlite({ url });
    globalForPrisma.awmStudioPrisma = new PrismaClient({ adapter });
  }
  return globalForPrisma.awmStudioPrisma;
}

export async function closeStudioDb(): Promise<void> {
  const client = globalForPrisma.awmStudioPrisma;
  globalForPrisma.awmStudioPrisma = undefined;
  await client?.$disconnect();
}
