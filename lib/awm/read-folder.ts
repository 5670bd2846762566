import fs from "node:fs";
import type { z } from "zod";
import { CAPS } from "../config/caps.ts";
import { InputRefusedError, InputTooLargeError, openInputFile, type InputFile } from "../input/input-file.ts";
import { forEachLine } from "../input/read-lines.ts";
import { messageOf } from "../errors.ts";
import { normalizeScenarioName } from "./normalize.ts";
import { describeSchemaError, STAGE_RECORDS } from "./record-schemas.ts";
import { AWM_FILES, type AwmBundle, type Severity, type SourceLine, type VerifierMode, type VerifierRecord } from "./types.ts";

export interface FolderError {
  file: string;
  line?: number;
  message: string;
  /** Normalized scenario name when the broken record still names one. */
  scenario?: string;
  /** A broken verifier record's task_idx, when it still reads as one. */
  taskIdx?: number;
  /** Absent means "error"; duplicates that were resolved are warnings. */
  severity?: Severity;
}

export interface FolderReadResult {
  bundles: AwmBundle[];
  errors: FolderError[];
  filesRead: string[];
}

type SingleSlot = "scenarioRecord" | "tasks" | "schema" | "seed" | "spec" | "code";

interface FileKind {
  file: string;
  schema: z.ZodType;
  nameField: "name" | "scenario";
  /** Bundle field a record fills; verifier files fill the verifier list instead. */
  slot: SingleSlot | { verifierMode: VerifierMode };
}

/** In reading order: the scenario file first, so bundles get their display names from it. */
const FILE_KINDS: FileKind[] = [
  { file: AWM_FILES.scenario, ...STAGE_RECORDS.scenario, slot: "scenarioRecord" },
  { file: AWM_FILES.tasks, ...STAGE_RECORDS.tasks, slot: "tasks" },
  { file: AWM_FILES.schema, ...STAGE_RECORDS.schema, slot: "schema" },
  { file: AWM_FILES.seed, ...STAGE_RECORDS.seed, slot: "seed" },
  { file: AWM_FILES.spec, ...STAGE_RECORDS.spec, slot: "spec" },
  { file: AWM_FILES.code, ...STAGE_RECORDS.code, slot: "code" },
  { file: AWM_FILES.verifierSql, ...STAGE_RECORDS.verifier, slot: { verifierMode: "sql" } },
  { file: AWM_FILES.verifierCode, ...STAGE_RECORDS.verifier, slot: { verifierMode: "code" } },
];

type LocatedVerifier = AwmBundle["verifiers"][number];

/**
 * Reads whichever AWM gen_*.jsonl files a folder holds and groups their records by normalized
 * scenario name. Never throws for bad input: every unreadable, special, linked-outside or over-cap
 * file and every malformed or over-cap line becomes a FolderError (file, 1-based line, the message,
 * the cap) and everything else still imports. Files are streamed line by line (see lib/input).
 */
export function readAwmFolder(dir: string): FolderReadResult {
  const errors: FolderError[] = [];
  let present: Set<string>;
  try {
    present = new Set(fs.readdirSync(dir));
  } catch (error) {
    return { bundles: [], errors: [{ file: dir, message: `Cannot read AWM folder: ${messageOf(error)}` }], filesRead: [] };
  }
  const kinds = FILE_KINDS.filter((kind) => present.has(kind.file));
  if (kinds.length === 0) {
    const expected = FILE_KINDS.map((kind) => kind.file).join(", ");
    return { bundles: [], errors: [{ file: dir, message: `No AWM files in this folder (expected any of ${expected})` }], filesRead: [] };
  }

  const opened: { kind: FileKind; file: InputFile }[] = [];
  for (const kind of kinds) {
    try {
      opened.push({ kind, file: openInputFile(dir, kind.file, CAPS.awmFile) });
    } catch (error) {
      errors.push({ file: kind.file, message: error instanceof InputRefusedError ? error.message : `Cannot read file: ${messageOf(error)}` });
    }
  }
  // Each file under its cap, all of them together may still be more than memory holds: then none is read.
  const total = opened.reduce((sum, { file }) => sum + file.size, 0);
  if (total > CAPS.awmFolder.bytes) {
    for (const { file } of opened) fs.closeSync(file.fd);
    const names = opened.map(({ kind }) => kind.file).join(", ");
    return { bundles: [], errors: [...errors, { file: dir, message: new InputTooLargeError(`the sum of the folder's AWM files (${names})`, total, CAPS.awmFolder).message }], filesRead: [] };
  }

  const bundles = new Map<string, AwmBundle>();
  const filesRead: string[] = [];
  for (const { kind, file } of opened) {
    try {
      filesRead.push(kind.file);
      forEachLine(
        file,
        { line: CAPS.awmLine, file: CAPS.awmFile },
        (raw, line) => readLine(kind, raw, line, bundles, errors),
        ({ line, message }) => errors.push({ file: kind.file, line, message }),
      );
    } catch (error) {
      errors.push({ file: kind.file, message: `Cannot read file: ${messageOf(error)}` });
    } finally {
      fs.closeSync(file.fd);
    }
  }
  for (const bundle of bundles.values()) {
    bundle.verifiers.sort((a, b) => a.record.task_idx - b.record.task_idx || a.record.mode.localeCompare(b.record.mode));
  }
  return { bundles: [...bundles.values()], errors, filesRead };
}

function readLine(kind: FileKind, raw: string, line: number, bundles: Map<string, AwmBundle>, errors: FolderError[]): void {
  if (raw.trim() === "") return;
  const source: SourceLine = { file: kind.file, line };
  const record = parseRecord(kind, raw, source, errors);
  if (record) addRecord(kind, record, source, bundles, errors);
}

function parseRecord(kind: FileKind, raw: string, source: SourceLine, errors: FolderError[]): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    errors.push({ ...source, message: `Invalid JSON: ${messageOf(error)}` });
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    errors.push({ ...source, message: `Expected a JSON object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}` });
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const named = record[kind.nameField];
  const scenario = typeof named === "string" ? normalizeScenarioName(named) : undefined;
  const checked = kind.schema.safeParse(record);
  if (!checked.success) {
    const taskIdx = typeof kind.slot === "object" && Number.isInteger(record.task_idx) ? (record.task_idx as number) : undefined;
    errors.push({ ...source, scenario, ...(taskIdx !== undefined && { taskIdx }), message: describeSchemaError(checked.error) });
    return undefined;
  }
  if (!scenario) {
    errors.push({ ...source, message: `Field "${kind.nameField}" normalizes to an empty scenario name` });
    return undefined;
  }
  return record;
}

function addRecord(
  kind: FileKind,
  record: Record<string, unknown>,
  source: SourceLine,
  bundles: Map<string, AwmBundle>,
  errors: FolderError[],
): void {
  const displayName = record[kind.nameField] as string;
  const name = normalizeScenarioName(displayName);
  let bundle = bundles.get(name);
  if (!bundle) {
    bundle = { name, scenario: displayName, verifiers: [] };
    bundles.set(name, bundle);
  }
  const duplicate = (earlier: SourceLine, what: string) =>
    errors.push({
      ...source,
      scenario: name,
      severity: "warning",
      message: `Duplicate ${what} for scenario "${name}" (lines ${earlier.line} and ${source.line}); kept line ${source.line}`,
    });

  if (typeof kind.slot === "string") {
    const earlier = bundle[kind.slot];
    if (earlier) duplicate(earlier.source, "record");
    // The stored object is the parsed JSON itself, so unknown fields survive to export.
    (bundle as unknown as Record<SingleSlot, unknown>)[kind.slot] = { record, source };
    if (kind.slot === "scenarioRecord") bundle.scenario = displayName;
    return;
  }
  const mode = kind.slot.verifierMode;
  const located = { record: { ...(record as unknown as VerifierRecord), mode }, source } as LocatedVerifier;
  const index = bundle.verifiers.findIndex((v) => v.record.mode === mode && v.record.task_idx === located.record.task_idx);
  if (index === -1) {
    bundle.verifiers.push(located);
    return;
  }
  duplicate(bundle.verifiers[index]!.source, `verifier for task_idx ${located.record.task_idx}`);
  bundle.verifiers[index] = located;
}
