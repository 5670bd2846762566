/**
 * The one way to load a library environment: its row, with the current artifacts of the kinds asked
 * for (and its validation issues when asked), or a NotFoundError naming it.
 */
import type { CodeRecord, ScenarioRecord, SchemaRecord, SeedRecord, SpecRecord, TasksRecord, ValidationIssue } from "../awm/types.ts";
import { NotFoundError } from "../errors.ts";
import { currentArtifact, currentVerifiers, type CurrentArtifact } from "./artifacts.ts";
import { studioDb, type StudioTx } from "./db.ts";
import { issueFromRow, VISIBLE } from "./environments.ts";
import type { Environment } from "./generated/client.ts";

interface SingleRecords {
  scenario: ScenarioRecord;
  tasks: TasksRecord;
  schema: SchemaRecord;
  seed: SeedRecord;
  spec: SpecRecord;
  code: CodeRecord;
}

/** What each kind loads: the current version of a single-record artifact (absent when it has none), or every current verifier. */
export type LoadedArtifacts = { [K in keyof SingleRecords]: CurrentArtifact<SingleRecords[K]> | undefined } & {
  verifiers: Awaited<ReturnType<typeof currentVerifiers>>;
};
export type LoadableKind = keyof LoadedArtifacts;

export interface LoadOptions<K extends LoadableKind> {
  artifacts?: readonly K[];
  /** Also read its validation issues, in order. */
  issues?: boolean;
}

export type LoadedEnvironment<K extends LoadableKind = never> = Environment & {
  artifacts: Pick<LoadedArtifacts, K>;
  /** Its validation issues: filled when asked for with `issues: true`, else empty. */
  issues: ValidationIssue[];
};

export async function loadEnvironment<const K extends LoadableKind = never>(
  name: string,
  options: LoadOptions<K> = {},
  db: StudioTx = studioDb(),
): Promise<LoadedEnvironment<K>> {
  const row = await db.environment.findFirst({
    where: { name, ...VISIBLE },
    ...(options.issues && { include: { issues: { orderBy: { ordinal: "asc" as const } } } }),
  });
  if (!row) throw new NotFoundError(`no environment named "${name}" in the studio`);
  const { issues: issueRows, ...environment } = row as typeof row & { issues?: Parameters<typeof issueFromRow>[0][] };
  const kinds = [...new Set(options.artifacts ?? [])];
  const loaded = await Promise.all(kinds.map((kind) => (kind === "verifiers" ? currentVerifiers(row.id, db) : currentArtifact(row.id, kind, "", db))));
  const artifacts = Object.fromEntries(kinds.map((kind, index) => [kind, loaded[index]])) as Pick<LoadedArtifacts, K>;
  return { ...environment, artifacts, issues: (issueRows ?? []).map(issueFromRow) };
}
