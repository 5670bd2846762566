import { isBlobCell, isLongText, type CellValue } from "@/lib/untrusted-db/cells";

/** Cells longer than this (about a 360px monospace cell) or spanning lines are marked truncated; click opens the full value. */
export const TRUNCATE_AT = 48;

/** The text shown for a cell (a truncated text cell shows the part that was sent). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (isBlobCell(value)) return `BLOB ${value.blob} bytes: ${value.hex}${value.blob * 2 > value.hex.length ? "…" : ""}`;
  if (isLongText(value)) return `${value.text}…`;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The full length of a text cell the server truncated, else undefined. */
export function truncatedLength(value: unknown): number | undefined {
  return isLongText(value) ? value.length : undefined;
}

/** "truncated, 300,000,000 chars" */
export function truncationNote(length: number): string {
  return `truncated, ${length.toLocaleString("en-US")} chars`;
}

export function isLong(value: CellValue): boolean {
  return isLongText(value) || (typeof value === "string" && (value.length > TRUNCATE_AT || value.includes("\n")));
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
