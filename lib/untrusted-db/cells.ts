/**
 * Cells of untrusted databases as the studio shows them: a text longer than the cap comes back as
 * its beginning plus its full length, a BLOB as its size plus its first bytes. The cap is applied in
 * SQL, so a huge value never reaches JavaScript; `readCell` fetches one value on demand.
 */

/** A BLOB cell: its size and the first bytes in hex (the grid cannot show raw bytes). */
export interface BlobCell {
  blob: number;
  hex: string;
}

/** A text cell longer than the cap: its first characters and its full length in characters. */
export interface LongTextCell {
  text: string;
  length: number;
}

export type CellValue = string | number | null | BlobCell | LongTextCell;

/** Characters of a text cell shown in grids and stored in diffs. */
export const CELL_TEXT_CAP = 2_000;
/** Characters of one cell fetched on demand (1 MiB of text). */
export const CELL_FETCH_CAP = 1_048_576;
export const BLOB_PREVIEW_BYTES = 32;

/** Two result columns for one value: capped at `textCap` characters (BLOBs at their preview), and its length. */
export function cappedColumns(expression: string, textCap = CELL_TEXT_CAP): [value: string, length: string] {
  return [
    `CASE typeof(${expression}) WHEN 'text' THEN substr(${expression}, 1, ${textCap}) WHEN 'blob' THEN substr(${expression}, 1, ${BLOB_PREVIEW_BYTES}) ELSE ${expression} END`,
    `CASE WHEN typeof(${expression}) IN ('text', 'blob') THEN length(${expression}) END`,
  ];
}

/** The cell for a value selected with `cappedColumns` and its length. */
export function toCell(value: unknown, length: unknown): CellValue {
  if (Buffer.isBuffer(value)) return { blob: Number(length ?? value.length), hex: value.toString("hex") };
  if (typeof value === "string") return typeof length === "number" && length > value.length ? { text: value, length } : value;
  if (value === null || typeof value === "number") return value;
  if (typeof value === "bigint") return value.toString();
  return String(value);
}

export function isLongText(value: unknown): value is LongTextCell {
  return typeof value === "object" && value !== null && "text" in value && "length" in value;
}

export function isBlobCell(value: unknown): value is BlobCell {
  return typeof value === "object" && value !== null && "blob" in value && "hex" in value;
}
