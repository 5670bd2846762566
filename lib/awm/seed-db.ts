/**
 * Seed databases: an environment's schema DDL and seed INSERTs (untrusted SQL) built into a fresh
 * SQLite file. The SQL never runs in the studio: the sandboxed seed-build worker
 * (worker/python/seed_builder.py) runs it in a forked process that sees only its output folder, with
 * SQLite itself refusing ATTACH, VACUUM, DETACH, load_extension and schema-unlocking pragmas, under a
 * heap cap and a time limit per statement and per build.
 */
import fs from "node:fs";
import path from "node:path";
import { readSandboxOutput } from "../input/input-file.ts";
import { defaultPython } from "../runtime/python-runtime.ts";
import type { BatchFolder, SendJobs } from "../worker/job-worker.ts";
import { sharedPythonWorker } from "../worker/python-worker.ts";
import type { SchemaRecord, SeedRecord } from "./types.ts";

/** One DDL string: `index` is the table's position in db_schema.tables, or the index's position in that table's indexes. */
export interface DdlResult { table: string; kind: "table" | "index"; index: number; sql: string; ok: boolean; error?: string }

/** One INSERT string: `index` counts the statements given for that table name (0-based, across seed entries). */
export interface InsertResult { table: string; index: number; sql: string; ok: boolean; error?: string }

export interface SeedBuildResult {
  ddl: DdlResult[];
  inserts: InsertResult[];
  /** Rows present in the finished database, summed over all its tables. */
  seedRows: number;
  /** INSERT strings that failed. */
  seedFailures: number;
  /** Tables that exist in the finished database, in creation order. */
  tablesCreated: string[];
}

export interface SeedBuildLimits {
  /** One SQL statement may run this long before it is stopped (its string fails). */
  statementMs?: number;
  /** The whole build; statements left when it is reached fail without running. */
  buildMs?: number;
}

export const SEED_STATEMENT_LIMIT_MS = 10_000;
export const SEED_BUILD_LIMIT_MS = 120_000;
const SEED_MEMORY_BYTES = 1024 * 1024 * 1024;
/** SQLite's own heap cap, below the process's, so running out is a statement's error, not a crash. */
const SEED_HEAP_BYTES = 640 * 1024 * 1024;
/** The worker's kill comes this long after the build's own deadline. */
const KILL_GRACE_MS = 5_000;
const IMAGE_NAME = "seed.db";

interface BuildAnswer {
  ddl_errors: (string | null)[];
  insert_errors: (string | null)[];
  tables: string[];
  rows: number;
}

/**
 * Builds a fresh seed database from an environment's schema and seed records, statement by
 * statement, recording SQLite's own message for every failure and carrying on. The database is
 * built in memory inside the sandbox, then written to `file.tmp` here and renamed, so `file` is never
 * half-written.
 */
export async function buildSeedDatabase(
  file: string,
  schema: SchemaRecord | undefined,
  seed: SeedRecord | undefined,
  { statementMs = SEED_STATEMENT_LIMIT_MS, buildMs = SEED_BUILD_LIMIT_MS }: SeedBuildLimits = {},
): Promise<SeedBuildResult> {
  const ddl = ddlUnits(schema);
  const inserts = insertUnits(seed);
  const worker = sharedPythonWorker({
    label: "seed build",
    script: "seed_builder.py",
    python: defaultPython(),
    memoryBytes: SEED_MEMORY_BYTES,
    allowUnsandboxed: process.env.AWM_STUDIO_ALLOW_UNSANDBOXED === "1",
    writableFolder: true,
  });
  const job = { ddl: ddl.map((unit) => unit.sql), inserts: inserts.map((unit) => unit.sql), statement_seconds: statementMs / 1000, build_seconds: buildMs / 1000, heap_bytes: SEED_HEAP_BYTES };
  const answer = await worker.run(buildMs + KILL_GRACE_MS, (folder, send) => buildInWorker(folder, send, job, file));
  return {
    ddl: ddl.map((unit, position) => withError(unit, answer.ddl_errors[position])),
    inserts: inserts.map((unit, position) => withError(unit, answer.insert_errors[position])),
    seedRows: answer.rows,
    seedFailures: answer.insert_errors.filter((error) => error !== null).length,
    tablesCreated: answer.tables,
  };
}

async function buildInWorker(folder: BatchFolder, send: SendJobs, job: Record<string, unknown>, file: string): Promise<BuildAnswer> {
  const [answer] = await send([{ id: 0, output: `${folder.inside}/${IMAGE_NAME}`, ...job }]);
  if (!answer?.ok) throw new Error(`cannot build the seed database ${file}: ${answer?.error ?? "no answer"}`);
  const built = answer.fields as unknown as BuildAnswer;
  if (built.ddl_errors.length !== (job.ddl as string[]).length || built.insert_errors.length !== (job.inserts as string[]).length) {
    throw new Error(`cannot build the seed database ${file}: the seed build worker answered for the wrong number of statements`);
  }
  moveImage(path.join(folder.host, IMAGE_NAME), file);
  return built;
}

/** Copies the worker's image to `file.tmp` (never following a link the sandbox side made) and renames it. */
function moveImage(image: string, file: string): void {
  const bytes = readSandboxOutput(image, "the seed build worker");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

type Unit<T> = Omit<T, "ok" | "error">;

/** All CREATE TABLE strings first, then all indexes, so an index never precedes its table. */
function ddlUnits(schema: SchemaRecord | undefined): Unit<DdlResult>[] {
  const tables = schema?.db_schema.tables ?? [];
  return [
    ...tables.map((table, index) => ({ table: table.name, kind: "table" as const, index, sql: table.ddl })),
    ...tables.flatMap((table) => table.indexes.map((sql, index) => ({ table: table.name, kind: "index" as const, index, sql }))),
  ];
}

function insertUnits(seed: SeedRecord | undefined): Unit<InsertResult>[] {
  const nextIndex = new Map<string, number>();
  return (seed?.sample_data.tables ?? []).flatMap((table) =>
    table.insert_statements.map((sql) => {
      const index = nextIndex.get(table.table_name) ?? 0;
      nextIndex.set(table.table_name, index + 1);
      return { table: table.table_name, index, sql };
    }),
  );
}

function withError<T extends { sql: string }>(unit: T, error: string | null | undefined): T & { ok: boolean; error?: string } {
  return typeof error === "string" ? { ...unit, ok: false, error } : { ...unit, ok: true };
}
