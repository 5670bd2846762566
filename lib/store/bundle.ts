import type { AwmBundle, Located, PipelineStage, SourceLine, VerifierRecord } from "../awm/types.ts";
import { parseVerifierKey, verifierKey, type ArtifactDraft } from "./artifacts.ts";

type SingleKind = Exclude<PipelineStage, "verifier">;

/** Bundle fields holding the single-record artifacts, by artifact kind. */
const SINGLE_FIELDS = {
  scenario: "scenarioRecord",
  tasks: "tasks",
  schema: "schema",
  seed: "seed",
  spec: "spec",
  code: "code",
} as const satisfies Record<SingleKind, keyof AwmBundle>;

/** The artifacts a bundle read from disk contributes, one draft per record present. */
export function draftsFromBundle(bundle: AwmBundle): ArtifactDraft[] {
  const drafts: ArtifactDraft[] = [];
  for (const [kind, field] of Object.entries(SINGLE_FIELDS) as [SingleKind, (typeof SINGLE_FIELDS)[SingleKind]][]) {
    const located = bundle[field];
    if (located) drafts.push({ kind, key: "", record: located.record, sourceFile: located.source.file, sourceLine: located.source.line });
  }
  for (const verifier of bundle.verifiers) {
    const { mode, ...record } = verifier.record;
    drafts.push({
      kind: "verifier",
      key: verifierKey(mode, record.task_idx),
      record,
      sourceFile: verifier.source.file,
      sourceLine: verifier.source.line,
    });
  }
  return drafts;
}

interface StoredArtifact {
  kind: PipelineStage;
  key: string;
  version?: number;
  record: unknown;
  sourceFile: string;
  sourceLine: number;
}

/** Rebuilds the bundle an environment's current artifacts form, for validation and export. */
export function bundleFromArtifacts(name: string, scenario: string, artifacts: StoredArtifact[]): AwmBundle {
  const bundle: AwmBundle = { name, scenario, verifiers: [] };
  const located = <T>(artifact: StoredArtifact): Located<T> => ({
    record: artifact.record as T,
    source: {
      file: artifact.sourceFile,
      line: artifact.sourceLine,
      ...(artifact.sourceLine === 0 && artifact.version !== undefined && { stored: `${artifact.kind}${artifact.key ? ` ${artifact.key}` : ""} v${artifact.version}` }),
    } satisfies SourceLine,
  });
  for (const artifact of artifacts) {
    if (artifact.kind === "verifier") {
      const { mode } = parseVerifierKey(artifact.key);
      const { record, source } = located<VerifierRecord>(artifact);
      bundle.verifiers.push({ record: { ...record, mode }, source });
    } else {
      (bundle as unknown as Record<string, unknown>)[SINGLE_FIELDS[artifact.kind]] = located(artifact);
    }
  }
  bundle.verifiers.sort((a, b) => a.record.task_idx - b.record.task_idx || a.record.mode.localeCompare(b.record.mode));
  return bundle;
}
