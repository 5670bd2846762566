/**
 * Reads of untrusted SQLite databases (diffs, table pages, single cells, schema introspection) run
 * in a database reader: a long-lived child process (lib/db-reader/reader-process.ts) with a capped JS
 * heap, the memory of the whole process capped by a cgroup (SQLite's own heap limit is not enforced
 * in better-sqlite3's build, which keeps no memory statistics) and a time limit per read. Two run side by side, each read going to the less
 * busy one. A database built to exhaust memory or time fails that one read, with an error naming
 * where it was and the cap, and the studio keeps answering; the reader is started again for the
 * next read.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../config/paths.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { createTreeCgroup, detectCgroups } from "../runtime/cgroups.ts";
import { exactEnv } from "../runtime/sandbox.ts";
import { JobWorker } from "../worker/job-worker.ts";
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

const readers: JobWorker[] = [];

/** Runs one read op in the database reader and returns its result, or throws its error. */
export async function readUntrusted<Op extends ReaderOp>(op: Op, args: Parameters<ReaderOps[Op]>[0], { timeoutMs = READ_TIMEOUT_MS }: ReadLimits = {}): Promise<ReturnType<ReaderOps[Op]>> {
  const [answer] = await leastBusyReader().runWithoutFolder(timeoutMs, (send) => send([{ id: 0, op, args }]));
  if (!answer?.ok) {
    throw new Error(
      `${answer?.error ?? "no answer"}\n(the database reader allows each read ${timeoutMs / 1000} s, ${READER_HEAP_MB} MB of JavaScript heap, ${memoryCap()} and an answer of ${READ_ANSWER_MAX_BYTES / 1024 / 1024} MiB)`,
    );
  }
  const { result, failure } = answer.fields as { result?: unknown; failure?: { name: string; message: string } };
  if (failure) throw rebuildError(failure);
  return result as ReturnType<ReaderOps[Op]>;
}

function leastBusyReader(): JobWorker {
  while (readers.length < READER_COUNT) readers.push(new JobWorker({ label: "database read", launch: launchReader, killGraceMs: 0, maxAnswerBytes: READ_ANSWER_MAX_BYTES }));
  return readers.reduce((best, reader) => (reader.pending < best.pending ? reader : best));
}

function memoryCap(): string {
  return detectCgroups().available ? `${READER_MEMORY_MB} MiB of memory for the whole reader` : "no cap on the reader's memory as a whole (cgroups are not writable here)";
}

/** The reader process, in a cgroup of its own when cgroups are writable here (released when it ends). */
function launchReader(): ChildProcess {
  const script = path.join(projectRoot(), "lib", "db-reader", "reader-process.ts");
  const command = [process.execPath, `--max-old-space-size=${READER_HEAP_MB}`, "--import", "tsx", script];
  const cgroup = createTreeCgroup({ memoryBytes: READER_MEMORY_MB * 2 ** 20, maxProcesses: READER_THREADS });
  const [file, ...args] = (cgroup ? cgroup.joinCommand(command) : command) as [string, ...string[]];
  const child = spawn(file, args, { cwd: projectRoot(), env: exactEnv({ PATH: process.env.PATH ?? "/usr/bin:/bin" }), stdio: ["pipe", "pipe", "pipe"] });
  if (cgroup) child.once("close", () => void cgroup.release());
  return child;
}

/** Node's own threads (libuv pool, V8 helpers) with room to spare; a reader starts no process. */
const READER_THREADS = 64;

/** The reader's error (only its name crosses the process boundary) as the domain error route handlers tell apart (404, 400, 500). */
function rebuildError({ name, message }: { name: string; message: string }): Error {
  if (name === "NotFoundError" || name === "SeedDbMissingError") return new NotFoundError(message);
  if (name === "UnknownIdentifierError" || name === "InvalidInputError") return new InvalidInputError(message);
  if (name === "RangeError") return new RangeError(message);
  return new Error(message);
}
