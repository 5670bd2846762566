/** The underlying message of anything thrown (SQLite's, the JSON parser's, the file system's). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
