import type { ArtifactKind } from "@/lib/store/artifacts";

export type ArtifactLanguage = "json" | "python";

/** Code and verifiers are edited as their Python source; every other artifact as its whole record, pretty JSON. */
export function artifactLanguage(kind: ArtifactKind): ArtifactLanguage {
  return kind === "code" || kind === "verifier" ? "python" : "json";
}

/** The text the editor shows for a stored record. */
export function artifactText(kind: ArtifactKind, record: unknown): string {
  if (kind === "code") return stringField(record, "full_code");
  if (kind === "verifier") return stringField(objectField(record, "verification"), "code");
  return JSON.stringify(record, null, 2);
}

export type ParsedArtifact = { record: unknown } | { error: string };

/**
 * The record to save for edited text: Python goes back into the record it came from (other fields
 * kept); JSON must parse, else the parser's message says where it stopped.
 */
export function recordFromText(kind: ArtifactKind, base: unknown, text: string): ParsedArtifact {
  if (kind === "code") return { record: { ...asObject(base), full_code: text } };
  if (kind === "verifier") {
    const record = asObject(base);
    return { record: { ...record, verification: { ...objectField(record, "verification"), code: text } } };
  }
  try {
    return { record: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `${kind} is not valid JSON: ${(error as Error).message}` };
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
