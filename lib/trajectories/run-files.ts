/**
 * The files of an AWM run folder, each with its cap. A folder is taken in by copying them into a
 * studio-owned staging folder through lib/input (regular files only, links kept inside the
 * folder, caps per file and in total), so nothing later opens a path in the user's folder.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { CAPS, type Cap } from "../config/caps.ts";
import { studioHome } from "../config/paths.ts";
import { copyInputFile, InputTooLargeError, openInputFile } from "../input/input-file.ts";
import { VERIFY_FILES } from "./run-verdicts.ts";
import { messageOf } from "../errors.ts";

export const RUN_FILE = "trajectory.json";

export const RUN_FILE_CAPS: Readonly<Record<string, Cap>> = {
  [RUN_FILE]: CAPS.trajectoryFile,
  "initial.db": CAPS.runDatabase,
  "final.db": CAPS.runDatabase,
  [VERIFY_FILES.code]: CAPS.verdictFile,
  [VERIFY_FILES.sql]: CAPS.verdictFile,
};

export const RUN_FOLDER_FILES = Object.keys(RUN_FILE_CAPS);

/** Refuses a set of run files when one is over its cap or all together are over the folder cap. */
export function checkRunFileSizes(files: { name: string; bytes: number }[]): void {
  for (const file of files) {
    const cap = RUN_FILE_CAPS[file.name];
    if (cap && file.bytes > cap.bytes) throw new InputTooLargeError(file.name, file.bytes, cap);
  }
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  if (total > CAPS.runUpload.bytes) throw new InputTooLargeError(`the run folder (${files.map((file) => file.name).join(", ")})`, total, CAPS.runUpload);
}

/** A fresh scratch folder under the studio home; the caller removes it. */
export function scratchRunFolder(): string {
  const dir = path.join(studioHome(), "uploads", crypto.randomBytes(6).toString("hex"));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Copies the run files `folder` holds into `staging`; returns the names copied. Throws InputRefusedError. */
export function stageRunFolder(folder: string, staging: string): string[] {
  let entries: Set<string>;
  try {
    entries = new Set(fs.readdirSync(folder));
  } catch (error) {
    throw new Error(`cannot read run folder ${folder}: ${messageOf(error)}`);
  }
  const present = RUN_FOLDER_FILES.filter((name) => entries.has(name));
  checkRunFileSizes(present.map((name) => ({ name, bytes: sizeOf(folder, name) })));
  for (const name of present) copyInputFile(folder, name, RUN_FILE_CAPS[name]!, path.join(staging, name));
  return present;
}

function sizeOf(folder: string, name: string): number {
  const file = openInputFile(folder, name, RUN_FILE_CAPS[name]!);
  fs.closeSync(file.fd);
  return file.size;
}
