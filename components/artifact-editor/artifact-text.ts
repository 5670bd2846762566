import type { PipelineStage, SchemaRecord } from "@/lib/awm/types";
import { tableFromSql, tableSql } from "./schema-sql";
import { messageOf } from "@/lib/errors";

export type ArtifactLanguage = "json" | "python" | "sql";

/** One text the editor shows for a record; `key` names it among the record's documents. */
export interface ArtifactDocument {
  key: string;
  label: string;
  language: ArtifactLanguage;
  text: string;
}

/** The key of a kind's only document (every kind but the schema). */
export const WHOLE_RECORD = "";

/** A schema is edited table by table, each as SQL; every other artifact as one document. */
export function artifactDocuments(kind: PipelineStage, record: unknown): ArtifactDocument[] {
  if (kind === "schema" && schemaTables(record)) {
    return (schemaTables(record) ?? []).map((table) => ({ key: table.name, label: table.name, language: "sql", text: tableSql(table) }));
  }
  return [{ key: WHOLE_RECORD, label: kind, language: artifactLanguage(kind), text: artifactText(kind, record) }];
}

/** The record to save: each edited document (`texts` by key) replaces its part of `base`; the rest stays as stored. */
export function recordFromDocuments(kind: PipelineStage, base: unknown, texts: Readonly<Record<string, string>>): ParsedArtifact {
  const tables = kind === "schema" ? schemaTables(base) : undefined;
  if (!tables) return recordFromText(kind, base, texts[WHOLE_RECORD] ?? artifactText(kind, base));
  const edited: SchemaRecord["db_schema"]["tables"] = [];
  for (const table of tables) {
    const text = texts[table.name];
    if (text === undefined) {
      edited.push(table);
      continue;
    }
    const parsed = tableFromSql(table.name, text);
    if ("error" in parsed) return { error: `schema is not saved: ${parsed.error}` };
    edited.push(parsed.table);
  }
  const record = base as SchemaRecord;
  return { record: { ...record, db_schema: { ...record.db_schema, tables: edited } } };
}

function schemaTables(record: unknown): SchemaRecord["db_schema"]["tables"] | undefined {
  const tables = (asObject(asObject(record).db_schema) as { tables?: unknown }).tables;
  return Array.isArray(tables) && tables.every((table) => typeof asObject(table).name === "string" && typeof asObject(table).ddl === "string" && Array.isArray(asObject(table).indexes))
    ? (tables as SchemaRecord["db_schema"]["tables"])
    : undefined;
}

/** Code and verifiers are edited as their Python source; every other artifact as its whole record, pretty JSON. */
export function artifactLanguage(kind: PipelineStage): ArtifactLanguage {
  return kind === "code" || kind === "verifier" ? "python" : "json";
}

/** The text the editor shows for a stored record. */
export function artifactText(kind: PipelineStage, record: unknown): string {
  if (kind === "code") return stringField(record, "full_code");
  if (kind === "verifier") return stringField(objectField(record, "verification"), "code");
  return JSON.stringify(record, null, 2);
}

export type ParsedArtifact = { record: unknown } | { error: string };

/**
 * The record to save for edited text: Python goes back into the record it came from (other fields
 * kept); JSON must parse, else the parser's message says where it stopped.
 */
export function recordFromText(kind: PipelineStage, base: unknown, text: string): ParsedArtifact {
  if (kind === "code") return { record: { ...asObject(base), full_code: text } };
  if (kind === "verifier") {
    const record = asObject(base);
    return { record: { ...record, verification: { ...objectField(record, "verification"), code: text } } };
  }
  try {
    return { record: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `${kind} is not valid JSON: ${messageOf(error)}` };
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function objectField(value: unknown, key: string): Record<string, unknown> {
  return asObject(asObject(value)[key]);
}

function stringField(value: unknown, key: string): string {
  const field = asObject(value)[key];
  return typeof field === "string" ? field : "";
}
