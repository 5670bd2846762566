/**
 * The database reader process (started by reader.ts): answers read jobs on untrusted database files,
 * one JSON line per job, in the job-worker line protocol. It exists so that a database built to
 * exhaust memory or time (huge computed values, endless views) can only take this process down:
 * its JS heap is capped by --max-old-space-size and its memory as a whole by its cgroup (reader.ts),
 * and the studio kills it when a read outlives its time limit.
 */
import readline from "node:readline";
import { setProgressSink } from "../untrusted-db/progress.ts";
import { readerOps, type ReaderOp } from "./reader-ops.ts";

interface ReadJob {
  id: number;
  op: ReaderOp;
  args: unknown;
}

const write = (answer: object) => process.stdout.write(`${JSON.stringify(answer)}\n`);

setProgressSink((note) => write({ progress: note }));

for await (const line of readline.createInterface({ input: process.stdin })) {
  const request = JSON.parse(line) as { jobs: ReadJob[] };
  for (const job of request.jobs) {
    const started = performance.now();
    let outcome: object;
    try {
      const run = readerOps[job.op] as (args: unknown) => unknown;
      outcome = { result: run(job.args) };
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      outcome = { failure: { name, message } };
    }
    write({ id: job.id, ok: true, ...outcome, duration_ms: performance.now() - started });
  }
}
