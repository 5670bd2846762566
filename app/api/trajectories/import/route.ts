import { z } from "zod";
import { describeZodError, HttpError, route } from "@/lib/http/handler";
import { importAndReplayRun, type ImportedAndReplayed } from "@/lib/trajectories/import-and-replay";
import { RunFolderError } from "@/lib/trajectories/import-run";
import { importUploadedRun, type UploadedFile } from "@/lib/trajectories/run-upload";

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
    return summary(result);
  } catch (error) {
    if (error instanceof RunFolderError) throw new HttpError(422, error.message);
    throw error;
  }
});

async function importForm(request: Request): Promise<ImportedAndReplayed> {
  const form = await request.formData();
  const files: UploadedFile[] = [];
  for (const value of form.values()) {
    if (typeof value !== "string") files.push({ name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  const scenario = form.get("scenario");
  return importUploadedRun(files, { scenario: typeof scenario === "string" && scenario.trim() ? scenario.trim() : undefined });
}

async function importFolder(request: Request): Promise<ImportedAndReplayed> {
  const body: unknown = await request.json().catch((error: Error) => {
    throw new HttpError(400, `request body is not JSON: ${error.message}`);
  });
  const parsed = FolderRequest.safeParse(body);
  if (!parsed.success) throw new HttpError(400, describeZodError(parsed.error));
  return importAndReplayRun(parsed.data.folder, { scenario: parsed.data.scenario || undefined });
}

function summary({ imported, replay, finalDiff }: ImportedAndReplayed) {
  return { ...imported, replay: { status: replay.status, diverged: replay.status === "diverged", replayedCalls: replay.replayedCalls, finalDiff, error: replay.error } };
}
