import { z } from "zod";
import { InvalidInputError } from "@/lib/errors";
import { describeZodError, HttpError, readJsonBody, route } from "@/lib/http/handler";
import { InputRefusedError, InputTooLargeError } from "@/lib/input/input-file";
import { importAndReplayRun, importedRunReport, type ImportedAndReplayed } from "@/lib/trajectories/import-and-replay";
import { RunFolderError } from "@/lib/trajectories/import-run";
import { importUploadedRun, readRunUpload } from "@/lib/trajectories/run-upload";

export const dynamic = "force-dynamic";

const FolderRequest = z.object({
  folder: z.string().trim().min(1, "give the path of a run folder on the server's disk"),
  scenario: z.string().trim().optional(),
});

/**
 * Imports an AWM run and replays it. Either multipart form data (files of a run folder:
 * trajectory.json and optionally initial.db, final.db, verify.code.json, verify.sql.json; field
 * `scenario` optional) or JSON `{ folder, scenario? }` naming a folder on the server's disk.
 */
export const POST = route({}, async (_input, { request }) => {
  try {
    const result = (request.headers.get("content-type") ?? "").includes("multipart/form-data") ? await importForm(request) : await importFolder(request);
    return importedRunReport(result);
  } catch (error) {
    if (error instanceof InputTooLargeError) throw new HttpError(413, error.message);
    if (error instanceof RunFolderError || error instanceof InputRefusedError) throw new HttpError(422, error.message);
    throw error;
  }
});

async function importForm(request: Request): Promise<ImportedAndReplayed> {
  const { files, scenario } = await readRunUpload(request);
  return importUploadedRun(files, { scenario });
}

async function importFolder(request: Request): Promise<ImportedAndReplayed> {
  const parsed = FolderRequest.safeParse(await readJsonBody(request));
  if (!parsed.success) throw new InvalidInputError(describeZodError(parsed.error));
  return importAndReplayRun(parsed.data.folder, { scenario: parsed.data.scenario || undefined });
}
