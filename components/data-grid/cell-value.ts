import type { CellValue } from "@/lib/seeddb/browse";

/** Cells longer than this (about a 360px monospace cell) or spanning lines are marked truncated; click opens the full value. */
export const TRUNCATE_AT = 48;

export function cellText(value: CellValue): string {
  if (value === null) return "NULL";
  if (typeof value === "object") return `BLOB ${value.blob} bytes: ${value.hex}${value.blob * 2 > value.hex.length ? "…" : ""}`;
  return String(value);
}

export function isLong(value: CellValue): boolean {
  return typeof value === "string" && (value.length > TRUNCATE_AT || value.includes("\n"));
}

/** Pretty-printed JSON when a text value holds a JSON object or array, else undefined. */
export function prettyJson(value: CellValue): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return undefined;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return undefined;
  }
}
