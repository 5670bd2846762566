/** Where CLI commands write: swappable so tests can capture output without a subprocess. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** What the terminal must not get raw: C0 controls but tab and newline, DEL, C1 controls, and bidi overrides and isolates. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_A_CELL = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Untrusted text (task texts, names, answers) made harmless for a terminal: an escape sequence could
 * clear the screen, plant a hyperlink or retitle the window, and a bidi override reverse what
 * follows. Each such character is written as its \uXXXX escape, which is also valid inside the JSON
 * that --json prints (where JSON.stringify leaves DEL, C1 and bidi characters raw).
 */
export function terminalSafe(text: string, pattern: RegExp = UNSAFE): string {
  return text.replace(pattern, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(terminalSafe(text.endsWith("\n") ? text : `${text}\n`)),
  err: (text) => process.stderr.write(terminalSafe(text.endsWith("\n") ? text : `${text}\n`)),
};

export class UsageError extends Error {}

/** Left-aligned text table for terminal output. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  // A cell is one line: a newline in a name would start a row of its own.
  const cells = [header, ...rows.map((row) => row.map((cell) => terminalSafe(String(cell), UNSAFE_IN_A_CELL)))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  return cells.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd()).join("\n");
}
