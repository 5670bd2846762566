/**
 * Reads of untrusted SQLite databases (diffs, table pages, single cells, schema introspection) run
 * in a database reader: a long-lived child process (lib/db-reader/reader-process.ts) with a capped JS
 * heap, the memory of the whole process capped by a cgroup (SQLite's own heap limit is not enforced
 * in better-sqlite3's build, which keeps no memory statistics) and a time limit per read. Two run side by side, each read going to the less
 * busy one. A database built to exhaust memory or time fails that one read, with an error naming
 * where it was and the cap, and the studio keeps answering; the reader is started again for the
 * next read.
 */
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { projectRoot, studioHome } from "../config/paths.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { detectCgroups } from "../runtime/cgroups.ts";
import { reachableByReader, spawnReader } from "./reader-sandbox.ts";
import { JobWorker, type JobAnswer } from "../worker/job-worker.ts";
import type { ReaderOp, ReaderOps } from "../db-reader/reader-ops.ts";

export const READ_TIMEOUT_MS = 15_000;
export const READER_HEAP_MB = 256;
/** The whole reader process: Node, its JS heap and whatever SQLite allocates for a read. */
export const READER_MEMORY_MB = 2048;
/** One read's answer (a diff, a page) as JSON text: more would weigh on the studio's own heap. */
export const READ_ANSWER_MAX_BYTES = 64 * 1024 * 1024;
/** Readers side by side: a read held up by a hostile database does not hold up every other read. */
const READER_COUNT = 2;

export interface ReadLimits {
  /** Time limit of this read; default READ_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * The readers of each studio home: a reader sees the folders of the home it was started for, and a
 * process may change homes (the benchmarks start each group in a fresh one); an old home's readers
 * stop once idle.
 */
const readersByHome = new Map<string, JobWorker[]>();

/** Runs one read op in the database reader and returns its result, or throws its error. */
export async function readUntrusted<Op extends ReaderOp>(op: Op, args: Parameters<ReaderOps[Op]>[0], { timeoutMs = READ_TIMEOUT_MS }: ReadLimits = {}): Promise<ReturnType<ReaderOps[Op]>> {
  const home = studioHome();
  const reachable = withReachableFiles(args as Record<string, unknown>, home);
  let answer: JobAnswer | undefined;
  try {
    [answer] = await leastBusyReader(home).runWithoutFolder(timeoutMs, (send) => send([{ id: 0, op, args: reachable.args }]));
  } finally {
    reachable.done();
  }
  if (!answer?.ok) {
    throw new Error(
      `${reachable.named(answer?.error ?? "no answer")}\n(the database reader allows each read ${timeoutMs / 1000} s, ${READER_HEAP_MB} MB of JavaScript heap, ${memoryCap()} and an answer of ${READ_ANSWER_MAX_BYTES / 1024 / 1024} MiB)`,
    );
  }
  const { result, failure } = answer.fields as { result?: unknown; failure?: { name: string; message: string } };
  if (failure) throw rebuildError(failure, reachable);
  return result as ReturnType<ReaderOps[Op]>;
}

/** The ops' arguments that name a database to read. */
const READ_FILE_ARGS = ["file", "before", "after", "source"];

interface ReachableArgs {
  args: Record<string, unknown>;
  /** Removes the copies made. */
  done: () => void;
  /** A message of the reader with each copy named by the file it copies. */
  renamed: (message: string) => string;
  /** The same, naming the read's files when the message names none (SQLite's own words: "file is not a database"). */
  named: (message: string) => string;
}

/** `args` with each database it names at a path the reader sees (reachableByReader). */
function withReachableFiles(args: Record<string, unknown>, home: string): ReachableArgs {
  const copies: { file: string; original: string; done: () => void }[] = [];
  const mapped = { ...args };
  const done = () => copies.forEach((copy) => copy.done());
  try {
    for (const name of READ_FILE_ARGS) {
      const original = mapped[name];
      if (typeof original !== "string") continue;
      const reachable = reachableByReader(original, home);
      copies.push({ ...reachable, original });
      mapped[name] = reachable.file;
    }
  } catch (error) {
    done();
    throw error;
  }
  const renamed = (message: string) => copies.reduce((text, copy) => text.replaceAll(copy.file, copy.original), message);
  const named = (message: string) => {
    const text = renamed(message);
    return copies.length === 0 || copies.some((copy) => text.includes(copy.original)) ? text : `${text} (reading ${copies.map((copy) => copy.original).join(" and ")})`;
  };
  return { args: mapped, done, renamed, named };
}

function leastBusyReader(home: string): JobWorker {
  let readers = readersByHome.get(home);
  if (!readers) {
    readers = [];
    readersByHome.set(home, readers);
  }
  while (readers.length < READER_COUNT) readers.push(new JobWorker({ label: "database read", launch: () => launchReader(home), killGraceMs: 0, maxAnswerBytes: READ_ANSWER_MAX_BYTES }));
  return readers.reduce((best, reader) => (reader.pending < best.pending ? reader : best));
}

function memoryCap(): string {
  return detectCgroups().available ? `${READER_MEMORY_MB} MiB of memory for the whole reader` : "no cap on the reader's memory as a whole (cgroups are not writable here)";
}

function launchReader(home: string): ChildProcess {
  return spawnReader(path.join(projectRoot(), "lib", "db-reader", "reader-process.ts"), { memoryBytes: READER_MEMORY_MB * 2 ** 20, heapMb: READER_HEAP_MB, maxProcesses: READER_THREADS }, home);
}

/** Node's own threads (libuv pool, V8 helpers) with room to spare; a reader starts no process. */
const READER_THREADS = 64;

/** Errors of the studio's own that the reader's ops throw, as the domain errors route handlers tell apart (404, 400). */
const DOMAIN_ERRORS = new Map<string, new (message: string) => Error>([
  ["NotFoundError", NotFoundError],
  ["SeedDbMissingError", NotFoundError],
  ["UnknownIdentifierError", InvalidInputError],
  ["InvalidInputError", InvalidInputError],
]);

/**
 * The reader's error (only its name crosses the process boundary) as the error route handlers tell
 * apart (404, 400, 500). A domain error's message stands as it is (copies renamed); any other gets
 * the read's files when it names none.
 */
function rebuildError({ name, message }: { name: string; message: string }, reachable: ReachableArgs): Error {
  const Domain = DOMAIN_ERRORS.get(name);
  if (Domain) return new Domain(reachable.renamed(message));
  return name === "RangeError" ? new RangeError(reachable.named(message)) : new Error(reachable.named(message));
}
