/**
 * The library's AWM export as a download in two steps, so a selection of any size never rides in a
 * URL: prepare writes the files to a scratch folder and names it; open claims it (a rename, so two
 * downloads of one export cannot both stream it while the first removes it), streams it as a tar
 * and removes it. Prepared exports nobody fetched are removed after an hour.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { studioHome } from "../config/paths.ts";
import { tarStream } from "../archive/tar-stream.ts";
import { NotFoundError } from "../errors.ts";
import { removeAgedEntries } from "../startup/aged-entries.ts";
import { exportLibrary } from "./export.ts";

const UNFETCHED_MS = 60 * 60 * 1000;

function downloadsDir(): string {
  return path.join(studioHome(), "library-exports");
}

export interface PreparedLibraryExport {
  id: string;
  environments: string[];
  files: string[];
}

/** What the library selection's export answers: where to fetch the archive, and what is in it. */
export interface LibraryExportLink {
  download: string;
  environments: string[];
  files: string[];
}

export function libraryExportLink(prepared: PreparedLibraryExport): LibraryExportLink {
  return { download: `/api/library/exports/${prepared.id}`, environments: prepared.environments, files: prepared.files };
}

export async function prepareLibraryExport(names: string[]): Promise<PreparedLibraryExport> {
  removeAgedEntries(downloadsDir(), UNFETCHED_MS);
  const id = crypto.randomBytes(12).toString("hex");
  const folder = path.join(downloadsDir(), id);
  try {
    const { environments, files } = await exportLibrary(folder, names);
    return { id, environments, files };
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

export function openLibraryExport(id: string): { filename: string; body: ReadableStream<Uint8Array> } {
  const gone = new NotFoundError(`no prepared library export "${id}" (each is downloaded once)`);
  if (!/^[0-9a-f]{24}$/.test(id)) throw gone;
  const folder = path.join(downloadsDir(), id);
  const claimed = `${folder}.sending-${crypto.randomBytes(6).toString("hex")}`;
  try {
    fs.renameSync(folder, claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw gone;
    throw error;
  }
  // Its age restarts, so that no sweep takes it while it streams.
  const now = new Date();
  fs.utimesSync(claimed, now, now);
  const stamp = now.toISOString().slice(0, 19).replaceAll(":", "-");
  return { filename: `${stamp}-awm-environments.tar`, body: tarStream(claimed, () => fs.rmSync(claimed, { recursive: true, force: true })) };
}
