/**
 * Puts verifier jobs' databases where the sandboxed worker can read them: read-only copies in a job
 * folder the worker sees (read-only) at another path.
 */
import fs from "node:fs";
import path from "node:path";
import type { VerifierMode } from "../awm/types.ts";
import { messageOf } from "../errors.ts";
import { readUntrusted } from "../untrusted-db/reader.ts";
import { isWalDatabase, newReaderOutputFolder, readReaderOutput } from "../untrusted-db/reader-sandbox.ts";

export interface VerifierJob {
  code: string;
  mode: VerifierMode;
  initialDbFile: string;
  finalDbFile: string;
  finalAnswer?: string;
}

/** A job as the worker receives it: database paths are the paths inside the sandbox. */
export interface StagedJob {
  id: number;
  mode: VerifierMode;
  code: string;
  initial: string;
  final: string;
  final_answer: string | null;
}

export type StagingResult = StagedJob | { id: number; stageError: string };

/**
 * Copies each distinct database once into `folder` (seen by the worker as `insideFolder`). A job whose
 * database cannot be copied is not staged; it carries the reason.
 */
export async function stageJobs(folder: string, insideFolder: string, jobs: VerifierJob[]): Promise<StagingResult[]> {
  const copies = new Map<string, string | Error>();
  const stage = async (hostFile: string) => {
    const resolved = path.resolve(hostFile);
    if (!copies.has(resolved)) {
      const name = `db-${copies.size + 1}.sqlite`;
      try {
        await copyReadOnly(resolved, path.join(folder, name));
        copies.set(resolved, `${insideFolder}/${name}`);
      } catch (error) {
        copies.set(resolved, new Error(`cannot copy database ${resolved} for the verifier: ${messageOf(error)}`));
      }
    }
    const staged = copies.get(resolved)!;
    if (staged instanceof Error) throw staged;
    return staged;
  };
  const results: StagingResult[] = [];
  // One after another: a database two jobs share is copied once.
  for (const [id, job] of jobs.entries()) {
    try {
      results.push({ id, mode: job.mode, code: job.code, initial: await stage(job.initialDbFile), final: await stage(job.finalDbFile), final_answer: job.finalAnswer ?? null });
    } catch (error) {
      results.push({ id, stageError: messageOf(error) });
    }
  }
  return results;
}

/**
 * A copy the sandbox can read from a read-only folder: the file as it is, unless the database is in
 * WAL mode. With a -wal file beside it (its latest pages are there), the database reader merges the
 * two into the copy; without one (a snapshot or a run's file, copied whole), the copy's header is
 * switched to a rollback journal. SQLite never opens the untrusted file in the studio's process.
 */
async function copyReadOnly(source: string, target: string): Promise<void> {
  if (!fs.existsSync(source)) throw new Error("no such file");
  if (fs.existsSync(`${source}-wal`)) {
    // The reader writes only to its own folder; the studio reads the copy from there (never through
    // a link it may have planted) into a new file in the sandbox's.
    const output = newReaderOutputFolder("merged-");
    try {
      await readUntrusted("mergedCopy", { source, target: path.join(output, "merged.sqlite") });
      fs.writeFileSync(target, readReaderOutput(path.join(output, "merged.sqlite")), { flag: "wx" });
    } finally {
      fs.rmSync(output, { recursive: true, force: true });
    }
  } else {
    fs.copyFileSync(source, target);
    if (isWalDatabase(target)) useRollbackJournal(target);
  }
  fs.chmodSync(target, 0o444);
}

/** Header bytes 18-19 (file format write and read versions): 1 is a rollback journal, 2 WAL. */
function useRollbackJournal(file: string): void {
  const handle = fs.openSync(file, "r+");
  try {
    fs.writeSync(handle, Buffer.from([1, 1]), 0, 2, 18);
  } finally {
    fs.closeSync(handle);
  }
}
