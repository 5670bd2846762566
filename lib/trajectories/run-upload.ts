/** A run folder uploaded through the browser: its files are written to a scratch folder, imported and replayed. */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { studioHome } from "../config/paths.ts";
import { importAndReplayRun, type ImportedAndReplayed } from "./import-and-replay.ts";
import { RUN_FILE, RunFolderError } from "./import-run.ts";
import { VERIFY_FILES } from "./run-verdicts.ts";

export const RUN_FOLDER_FILES = [RUN_FILE, "initial.db", "final.db", VERIFY_FILES.code, VERIFY_FILES.sql];

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** Files are matched by base name; anything that is not part of a run folder is ignored. */
export async function importUploadedRun(files: UploadedFile[], options: { scenario?: string } = {}): Promise<ImportedAndReplayed> {
  const known = files.filter((file) => RUN_FOLDER_FILES.includes(path.basename(file.name)));
  if (!known.some((file) => path.basename(file.name) === RUN_FILE)) {
    throw new RunFolderError(`the upload has no ${RUN_FILE} (got: ${files.map((file) => file.name).join(", ") || "no files"})`);
  }
  const dir = path.join(studioHome(), "uploads", crypto.randomBytes(6).toString("hex"));
  fs.mkdirSync(dir, { recursive: true });
  try {
    for (const file of known) fs.writeFileSync(path.join(dir, path.basename(file.name)), file.bytes);
    return await importAndReplayRun(dir, { scenario: options.scenario, importedFrom: `upload (${known.map((file) => path.basename(file.name)).join(", ")})` });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
