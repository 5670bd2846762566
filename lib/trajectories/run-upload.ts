/** A run folder uploaded through the browser: its files are written to a scratch folder, imported and replayed. */
import fs from "node:fs";
import path from "node:path";
import { CAPS } from "../config/caps.ts";
import { InputTooLargeError } from "../input/input-file.ts";
import { importAndReplayRun, type ImportedAndReplayed } from "./import-and-replay.ts";
import { RUN_FILE, RunFolderError } from "./import-run.ts";
import { checkRunFileSizes, RUN_FOLDER_FILES, scratchRunFolder } from "./run-files.ts";
import { messageOf } from "../errors.ts";

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface RunUpload {
  files: UploadedFile[];
  scenario?: string;
}

/** Room for multipart boundaries, headers and the scenario field on top of the files themselves. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * Reads a multipart upload of run files without ever holding more than the run folder cap: a
 * declared Content-Length over it is refused before reading, and the body is counted as it streams.
 * Each file is checked against its own cap before its bytes are copied out of the form.
 */
export async function readRunUpload(request: Request): Promise<RunUpload> {
  const limit = CAPS.runUpload.bytes + MULTIPART_OVERHEAD_BYTES;
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  const tooLarge = () => new InputTooLargeError("the upload", Number.isFinite(declared) ? declared : undefined, CAPS.runUpload);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  let received = 0;
  const counted = request.body?.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  let form: FormData;
  try {
    form = await new Response(counted ?? null, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch (error) {
    if (received > limit) throw tooLarge();
    throw new RunFolderError(`the upload is not readable multipart form data: ${messageOf(error)}`, { cause: error });
  }
  const entries = [...form.values()].filter((value): value is File => typeof value !== "string");
  checkRunFileSizes(entries.filter((file) => RUN_FOLDER_FILES.includes(path.basename(file.name))).map((file) => ({ name: path.basename(file.name), bytes: file.size })));
  const files: UploadedFile[] = [];
  for (const file of entries) files.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  const scenario = form.get("scenario");
  return { files, scenario: typeof scenario === "string" && scenario.trim() ? scenario.trim() : undefined };
}

/** Files are matched by base name; anything that is not part of a run folder is ignored. */
export async function importUploadedRun(files: UploadedFile[], options: { scenario?: string } = {}): Promise<ImportedAndReplayed> {
  // One file per name: a later file of the same name replaces an earlier one.
  const known = [...new Map(files.filter((file) => RUN_FOLDER_FILES.includes(path.basename(file.name))).map((file) => [path.basename(file.name), file])).values()];
  if (!known.some((file) => path.basename(file.name) === RUN_FILE)) {
    throw new RunFolderError(`the upload has no ${RUN_FILE} (got: ${files.map((file) => file.name).join(", ") || "no files"})`);
  }
  checkRunFileSizes(known.map((file) => ({ name: path.basename(file.name), bytes: file.bytes.byteLength })));
  const dir = scratchRunFolder();
  try {
    for (const file of known) fs.writeFileSync(path.join(dir, path.basename(file.name)), file.bytes, { flag: "wx", mode: 0o600 });
    return await importAndReplayRun(dir, { scenario: options.scenario, importedFrom: `upload (${known.map((file) => path.basename(file.name)).join(", ")})` });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
