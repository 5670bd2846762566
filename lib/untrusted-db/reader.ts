/**
 * Reads of untrusted SQLite databases (diffs, table pages, single cells, schema introspection) run
 * in a database reader: a long-lived child process (lib/db-reader/reader-process.ts) with a capped JS heap, a
 * capped SQLite heap and a time limit per read. Two run side by side, each read going to the less
 * busy one. A database built to exhaust memory or time fails that one read, with an error naming
 * where it was and the cap, and the studio keeps answering; the reader is started again for the
 * next read.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../config/paths.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { exactEnv } from "../runtime/sandbox.ts";
import { JobWorker } from "../worker/job-worker.ts";
import type { ReaderOp, ReaderOps } from "../db-reader/reader-ops.ts";

export const READ_TIMEOUT_MS = 15_000;
export const READER_HEAP_MB = 256;
export const READER_SQLITE_HEAP_MB = 512;
/** One read's answer (a diff, a page) as JSON text: more would weigh on the studio's own heap. */
export const READ_ANSWER_MAX_CHARS = 64 * 1024 * 1024;
/** Readers side by side: a read held up by a hostile database does not hold up every other read. */
const READER_COUNT = 2;

export interface ReadLimits {
  /** Time limit of this read; default READ_TIMEOUT_MS. */
  timeoutMs?: number;
}

const readers: JobWorker[] = [];

/** Runs one read op in the database reader and returns its result, or throws its error. */
export async function readUntrusted<Op extends ReaderOp>(op: Op, args: Parameters<ReaderOps[Op]>[0], { timeoutMs = READ_TIMEOUT_MS }: ReadLimits = {}): Promise<ReturnType<ReaderOps[Op]>> {
  const [answer] = await leastBusyReader().runWithoutFolder(timeoutMs, (send) => send([{ id: 0, op, args }]));
  if (!answer?.ok) {
    throw new Error(
      `${answer?.error ?? "no answer"}\n(the database reader allows each read ${timeoutMs / 1000} s, ${READER_HEAP_MB} MB of JavaScript heap, ${READER_SQLITE_HEAP_MB} MB for SQLite and an answer of ${READ_ANSWER_MAX_CHARS / 1024 / 1024} MiB)`,
    );
  }
  const { result, failure } = answer.fields as { result?: unknown; failure?: { name: string; message: string } };
  if (failure) throw rebuildError(failure);
  return result as ReturnType<ReaderOps[Op]>;
}

function leastBusyReader(): JobWorker {
  while (readers.length < READER_COUNT) readers.push(new JobWorker({ label: "database read", launch: launchReader, killGraceMs: 0, maxAnswerChars: READ_ANSWER_MAX_CHARS }));
  return readers.reduce((best, reader) => (reader.pending < best.pending ? reader : best));
}

function launchReader() {
  const script = path.join(projectRoot(), "lib", "db-reader", "reader-process.ts");
  return spawn(process.execPath, [`--max-old-space-size=${READER_HEAP_MB}`, "--import", "tsx", script, String(READER_SQLITE_HEAP_MB * 1024 * 1024)], {
    cwd: projectRoot(),
    env: exactEnv({ PATH: process.env.PATH ?? "/usr/bin:/bin" }),
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** The reader's error (only its name crosses the process boundary) as the domain error route handlers tell apart (404, 400, 500). */
function rebuildError({ name, message }: { name: string; message: string }): Error {
  if (name === "NotFoundError" || name === "SeedDbMissingError") return new NotFoundError(message);
  if (name === "UnknownIdentifierError" || name === "InvalidInputError") return new InvalidInputError(message);
  if (name === "RangeError") return new RangeError(message);
  return new Error(message);
}
