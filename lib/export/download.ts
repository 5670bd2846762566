/**
 * An export as one download: written to a scratch folder under the studio home, then streamed as
 * its one file (openai, verl, skyrl) or as a tar of the folder (awm, trl); the folder is removed
 * when the stream ends or is cancelled.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { studioHome } from "../config/paths.ts";
import { exportRuns, type ExportFormat } from "./export-runs.ts";
import type { RunSelection } from "./run-selection.ts";
import { tarStream } from "../archive/tar-stream.ts";

export interface ExportDownload {
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

export async function exportDownload(format: ExportFormat, selection: RunSelection): Promise<ExportDownload> {
  const scratch = path.join(studioHome(), "exports", crypto.randomBytes(6).toString("hex"));
  const remove = () => fs.rmSync(scratch, { recursive: true, force: true });
  try {
    const result = await exportRuns(scratch, format, selection);
    const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "-");
    const single = format !== "awm" && format !== "trl" ? result.files[0] : undefined;
    if (single) {
      const stream = fs.createReadStream(single.path);
      stream.on("close", remove);
      const name = path.basename(single.path);
      return { filename: `${stamp}-${name}`, contentType: name.endsWith(".parquet") ? "application/vnd.apache.parquet" : "application/x-ndjson", body: Readable.toWeb(stream) as ReadableStream<Uint8Array> };
    }
    return { filename: `${stamp}-${format}-runs.tar`, contentType: "application/x-tar", body: tarStream(scratch, remove) };
  } catch (error) {
    remove();
    throw error;
  }
}
