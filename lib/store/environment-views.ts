/**
 * What the environment routes answer, built here so the route returns it and the browser's hooks
 * import its type (one contract): the environment page, its code, spec and verifiers, and the
 * stored versions of an artifact.
 */
import { parseFastApiRoutes, type CodeRoute } from "../awm/code-routes.ts";
import type { PipelineStage, SpecRecord, VerifierMode } from "../awm/types.ts";
import { NotFoundError } from "../errors.ts";
import { artifactVersion, listVersions } from "./artifacts.ts";
import { environmentDetail, type EnvironmentDetail } from "./environments.ts";
import { loadEnvironment } from "./load-environment.ts";

export interface VerifierSummary {
  key: string;
  mode: VerifierMode;
  taskIdx: number;
  version: number;
  code: string;
}

export interface TaskSummary {
  idx: number;
  text: string;
  verifiers: VerifierSummary[];
}

/** What the environment page loads: the stored summary, issues, tasks and their verifiers. */
export interface EnvironmentPageData extends EnvironmentDetail {
  tasks: TaskSummary[];
  /** Verifiers whose task_idx names no task of the current task list. */
  unmatchedVerifiers: VerifierSummary[];
}

export async function environmentPageData(name: string): Promise<EnvironmentPageData> {
  const environment = await loadEnvironment(name, { artifacts: ["tasks", "verifiers"], issues: true });
  const { tasks, verifiers } = environment.artifacts;
  const detail = await environmentDetail(environment);
  const summaries: VerifierSummary[] = verifiers.map((v) => ({ key: v.key, mode: v.mode, taskIdx: v.taskIdx, version: v.version, code: v.record.verification?.code ?? "" }));
  const texts = tasks?.record.tasks ?? [];
  return {
    ...detail,
    tasks: texts.map((text, idx) => ({ idx, text, verifiers: summaries.filter((v) => v.taskIdx === idx) })),
    unmatchedVerifiers: summaries.filter((v) => v.taskIdx < 0 || v.taskIdx >= texts.length),
  };
}

export interface EnvironmentCode {
  code: string | null;
  version: number | null;
  source: { file: string; line: number } | null;
  routes: CodeRoute[];
}

/** The interface code (`full_code`) and the routes its FastAPI decorators declare. */
export async function environmentCode(name: string): Promise<EnvironmentCode> {
  const { code } = (await loadEnvironment(name, { artifacts: ["code"] })).artifacts;
  const fullCode = code?.record.full_code ?? null;
  return {
    code: fullCode,
    version: code?.version ?? null,
    source: code ? { file: code.sourceFile, line: code.sourceLine } : null,
    routes: fullCode === null ? [] : parseFastApiRoutes(fullCode),
  };
}

export interface EnvironmentSpec {
  spec: SpecRecord | null;
  version: number | null;
}

/** The current API spec record (null when the environment has none). */
export async function environmentSpec(name: string): Promise<EnvironmentSpec> {
  const { spec } = (await loadEnvironment(name, { artifacts: ["spec"] })).artifacts;
  return { spec: spec?.record ?? null, version: spec?.version ?? null };
}

export interface VerifierEntry {
  key: string;
  mode: VerifierMode;
  taskIdx: number;
  version: number;
  /** The task text the verifier record carries (may differ from the current task list). */
  task: string;
  code: string;
}

export interface EnvironmentVerifiers {
  tasks: string[];
  verifiers: VerifierEntry[];
}

/** The tasks and every current verifier (any mode), each with the task text it was written for. */
export async function environmentVerifiers(name: string): Promise<EnvironmentVerifiers> {
  const { tasks, verifiers } = (await loadEnvironment(name, { artifacts: ["tasks", "verifiers"] })).artifacts;
  return {
    tasks: tasks?.record.tasks ?? [],
    verifiers: verifiers.map((verifier) => ({
      key: verifier.key,
      mode: verifier.mode,
      taskIdx: verifier.taskIdx,
      version: verifier.version,
      task: verifier.record.task,
      code: verifier.record.verification.code,
    })),
  };
}

export interface ArtifactVersionSummary {
  version: number;
  origin: string;
  createdAt: string;
}

export interface ArtifactVersionList {
  kind: string;
  key: string;
  /** Newest first; the first one is current. */
  versions: ArtifactVersionSummary[];
}

/** Every version of one artifact (`key` "code:3" for a verifier), newest first. */
export async function artifactVersionList(name: string, kind: PipelineStage, key: string): Promise<ArtifactVersionList> {
  const environment = await loadEnvironment(name);
  const rows = await listVersions(environment.id, kind, key);
  return { kind, key, versions: rows.map((row) => ({ version: row.version, origin: row.origin, createdAt: row.createdAt.toISOString() })) };
}

export interface ArtifactVersionRecord {
  version: number;
  origin: string;
  createdAt: string;
  record: unknown;
}

/** One stored version of an artifact, parsed (for the editor's diff and before a revert). */
export async function artifactVersionRecord(name: string, kind: PipelineStage, key: string, version: number): Promise<ArtifactVersionRecord> {
  const environment = await loadEnvironment(name);
  const stored = await artifactVersion(environment.id, kind, key, version);
  if (!stored) throw new NotFoundError(`"${environment.name}" has no ${kind}${key ? ` ${key}` : ""} version ${version}`);
  return { ...stored, createdAt: stored.createdAt.toISOString() };
}
