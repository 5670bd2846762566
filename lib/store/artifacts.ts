import crypto from "node:crypto";
import type { PipelineStage, VerifierMode, VerifierRecord } from "../awm/types.ts";
import { InvalidInputError } from "../errors.ts";
import { studioDb, type StudioTx } from "./db.ts";

export type ArtifactOrigin = "import" | "edit" | "generate" | "revert";

export interface ArtifactDraft {
  kind: PipelineStage;
  key: string;
  record: unknown;
  sourceFile?: string;
  sourceLine?: number;
}

export interface CurrentArtifact<T> {
  version: number;
  record: T;
  sourceFile: string;
  sourceLine: number;
}

export function verifierKey(mode: VerifierMode, taskIdx: number): string {
  return `${mode}:${taskIdx}`;
}

/** "code:3" as its mode and task; any other key is refused, naming the form (it may come from a request). */
export function parseVerifierKey(key: string): { mode: VerifierMode; taskIdx: number } {
  const match = /^(code|sql):(\d+)$/.exec(key);
  if (!match) throw new InvalidInputError(`verifier key "${key}" is not of the form code:<task index> or sql:<task index>`);
  return { mode: match[1] as VerifierMode, taskIdx: Number(match[2]) };
}

/** Content is stored as canonical JSON text of the record, so equal values hash equally. */
export function artifactContent(record: unknown): { content: string; contentHash: string } {
  const content = JSON.stringify(record);
  return { content, contentHash: crypto.createHash("sha256").update(content).digest("hex") };
}

/**
 * Appends a version for every draft whose content differs from the current one.
 * Returns how many versions were added. Nothing is overwritten.
 */
export async function appendArtifactVersions(
  environmentId: string,
  drafts: ArtifactDraft[],
  origin: ArtifactOrigin,
  db: StudioTx = studioDb(),
): Promise<number> {
  const latest = await latestVersions(environmentId, db);
  const rows = [];
  for (const draft of drafts) {
    const { content, contentHash } = artifactContent(draft.record);
    const current = latest.get(`${draft.kind}/${draft.key}`);
    if (current?.contentHash === contentHash) continue;
    rows.push({
      environmentId,
      kind: draft.kind,
      key: draft.key,
      version: (current?.version ?? 0) + 1,
      content,
      contentHash,
      origin,
      sourceFile: draft.sourceFile ?? "",
      sourceLine: draft.sourceLine ?? 0,
    });
  }
  if (rows.length > 0) await db.artifactVersion.createMany({ data: rows });
  return rows.length;
}

/** The latest version of each of an environment's artifacts, by `kind/key`. */
export async function latestVersions(environmentId: string, db: StudioTx = studioDb()) {
  const rows = await db.artifactVersion.findMany({
    where: { environmentId },
    select: { kind: true, key: true, version: true, contentHash: true },
  });
  const latest = new Map<string, { version: number; contentHash: string }>();
  for (const row of rows) {
    const id = `${row.kind}/${row.key}`;
    const seen = latest.get(id);
    if (!seen || row.version > seen.version) latest.set(id, row);
  }
  return latest;
}

/** The current (highest) version of every artifact of an environment, parsed. */
export async function currentArtifacts(environmentId: string, db: StudioTx = studioDb()) {
  const rows = await db.artifactVersion.findMany({
    where: { environmentId },
    orderBy: [{ kind: "asc" }, { key: "asc" }, { version: "desc" }],
  });
  const current = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const id = `${row.kind}/${row.key}`;
    if (!current.has(id)) current.set(id, row);
  }
  return [...current.values()].map((row) => ({
    kind: row.kind as PipelineStage,
    key: row.key,
    version: row.version,
    record: JSON.parse(row.content) as unknown,
    sourceFile: row.sourceFile,
    sourceLine: row.sourceLine,
  }));
}

export async function currentArtifact<T>(
  environmentId: string,
  kind: PipelineStage,
  key = "",
  db: StudioTx = studioDb(),
): Promise<CurrentArtifact<T> | undefined> {
  const row = await db.artifactVersion.findFirst({
    where: { environmentId, kind, key },
    orderBy: { version: "desc" },
  });
  if (!row) return undefined;
  return { version: row.version, record: JSON.parse(row.content) as T, sourceFile: row.sourceFile, sourceLine: row.sourceLine };
}

export async function currentVerifiers(environmentId: string, db: StudioTx = studioDb()) {
  const artifacts = await currentArtifacts(environmentId, db);
  return artifacts
    .filter((artifact) => artifact.kind === "verifier")
    .map((artifact) => ({ ...parseVerifierKey(artifact.key), key: artifact.key, version: artifact.version, record: artifact.record as VerifierRecord }))
    .sort((a, b) => a.taskIdx - b.taskIdx || a.mode.localeCompare(b.mode));
}

/** One stored version of an artifact, parsed, or undefined when there is no such version. */
export async function artifactVersion(environmentId: string, kind: PipelineStage, key: string, version: number, db: StudioTx = studioDb()) {
  const row = await db.artifactVersion.findUnique({ where: { environmentId_kind_key_version: { environmentId, kind, key, version } } });
  if (!row) return undefined;
  return { version: row.version, origin: row.origin, createdAt: row.createdAt, record: JSON.parse(row.content) as unknown };
}

export async function listVersions(environmentId: string, kind: PipelineStage, key = "", db: StudioTx = studioDb()) {
  return db.artifactVersion.findMany({
    where: { environmentId, kind, key },
    orderBy: { version: "desc" },
    select: { version: true, origin: true, createdAt: true, contentHash: true },
  });
}
