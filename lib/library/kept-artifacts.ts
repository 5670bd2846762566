import type { FolderError } from "../awm/read-folder.ts";
import { AWM_FILES, type AwmBundle, type PipelineStage } from "../awm/types.ts";
import { draftsFromBundle } from "../store/bundle.ts";
import { parseVerifierKey } from "../store/artifacts.ts";

type VerifierKey = ReturnType<typeof parseVerifierKey>;

/**
 * An artifact a re-import left as it was because the folder's file held no readable record of it:
 * the studio goes on using the earlier version, and the import report names it beside the status.
 */
export interface KeptArtifact {
  stage: PipelineStage;
  /** "" for one-per-environment artifacts, else the verifier's key (code:3). */
  key: string;
  version: number;
  file: string;
  /** What was kept and why, e.g. "tasks v1: its record in gen_tasks.jsonl (line 2) is broken". */
  reason: string;
  /** The folder's lines that were broken and may have been its record: the kept version may be stale. */
  brokenLines: number[];
}

const MAX_LINES_NAMED = 5;

function fileOf(stage: PipelineStage, verifier: VerifierKey | undefined): string {
  if (stage === "verifier") return verifier?.mode === "code" ? AWM_FILES.verifierCode : AWM_FILES.verifierSql;
  return AWM_FILES[stage];
}

function lineList(lines: number[]): string {
  const named = lines.slice(0, MAX_LINES_NAMED).join(", ");
  return lines.length > MAX_LINES_NAMED ? `${named} and ${lines.length - MAX_LINES_NAMED} more` : named;
}

/**
 * The stored artifacts of `bundle`'s environment whose file the folder has but which the folder
 * gave no record for. A broken line names this scenario when its JSON parsed; a line that is not
 * JSON names none, so it may have been any environment's record and is named for each.
 */
export function keptArtifacts(
  bundle: AwmBundle,
  folder: { filesRead: string[]; errors: FolderError[] },
  stored: Map<string, { version: number }>,
): KeptArtifact[] {
  const given = new Set(draftsFromBundle(bundle).map((draft) => `${draft.kind}/${draft.key}`));
  const kept: KeptArtifact[] = [];
  for (const [id, { version }] of stored) {
    if (given.has(id)) continue;
    const [stage, key] = splitId(id);
    const verifier = stage === "verifier" ? parseVerifierKey(key) : undefined;
    const file = fileOf(stage, verifier);
    if (!folder.filesRead.includes(file)) continue;
    const broken = folder.errors.filter((error) => error.file === file && error.line !== undefined && error.severity !== "warning");
    // A broken verifier line that still names its task is another task's, unless it names this one.
    const own = broken.filter((error) => error.scenario === bundle.name && (error.taskIdx === undefined || verifier === undefined || error.taskIdx === verifier.taskIdx)).map((error) => error.line!);
    const unnamed = broken.filter((error) => error.scenario === undefined).map((error) => error.line!);
    const what = `${stage}${key ? ` ${key}` : ""} v${version}`;
    const reason =
      own.length > 0
        ? `${what}: its record in ${file} (line ${lineList(own)}) is broken`
        : unnamed.length > 0
          ? `${what}: ${file} has no readable record for it, and its broken line ${lineList(unnamed)} may have been it`
          : `${what}: ${file} has no record for it`;
    kept.push({ stage, key, version, file, brokenLines: own.length > 0 ? own : unnamed, reason });
  }
  return kept;
}

function splitId(id: string): [PipelineStage, string] {
  const slash = id.indexOf("/");
  return [id.slice(0, slash) as PipelineStage, id.slice(slash + 1)];
}
