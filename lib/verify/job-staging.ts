/**
 * Puts verifier jobs' databases where the sandboxed worker can read them: read-only copies in a job
 * folder the worker sees (read-only) at another path.
 */
import fs from "node:fs";
import path from "node:path";
import type { VerifierMode } from "../awm/types.ts";
import { messageOf } from "../errors.ts";
import { openReadOnly } from "../sqlite/toolbox.ts";

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
export function stageJobs(folder: string, insideFolder: string, jobs: VerifierJob[]): StagingResult[] {
  const copies = new Map<string, string | Error>();
  const stage = (hostFile: string) => {
    const resolved = path.resolve(hostFile);
    if (!copies.has(resolved)) {
      const name = `db-${copies.size + 1}.sqlite`;
      try {
        copyReadOnly(resolved, path.join(folder, name));
        copies.set(resolved, `${insideFolder}/${name}`);
      } catch (error) {
        copies.set(resolved, new Error(`cannot copy database ${resolved} for the verifier: ${messageOf(error)}`));
      }
    }
    const staged = copies.get(resolved)!;
    if (staged instanceof Error) throw staged;
    return staged;
  };
  return jobs.map((job, id) => {
    try {
      return { id, mode: job.mode, code: job.code, initial: stage(job.initialDbFile), final: stage(job.finalDbFile), final_answer: job.finalAnswer ?? null };
    } catch (error) {
      return { id, stageError: messageOf(error) };
    }
  });
}

/**
 * A plain file copy, except for databases in WAL mode (their latest pages may sit in the -wal file,
 * and a read-only folder cannot hold the -shm a WAL reader needs): those go through SQLite's backup
 * and are switched to a rollback journal.
 */
function copyReadOnly(source: string, target: string): void {
  if (!fs.existsSync(source)) throw new Error("no such file");
  if (fs.existsSync(`${source}-wal`) || isWalDatabase(source)) {
    const from = openReadOnly(source);
    try {
      from.prepare("VACUUM INTO ?").run(target);
    } finally {
      from.close();
    }
  } else {
    fs.copyFileSync(source, target);
  }
  fs.chmodSync(target, 0o444);
}

/** SQLite header bytes 18-19 are 2 for WAL databases. */
function isWalDatabase(file: string): boolean {
  const header = Buffer.alloc(20);
  const handle = fs.openSync(file, "r");
  try {
    return fs.readSync(handle, header, 0, 20, 0) === 20 && header[18] === 2;
  } finally {
    fs.closeSync(handle);
  }
}
