/**
 * A playtest's calls and resets as they were answered, one line each, appended before the answer
 * leaves the studio (trajectories/<id>/playtest/journal.jsonl). Steps are written behind their
 * answers (see recorder.ts), so a studio killed in between would lose a call its agent saw
 * answered: the restart that goes on from the journal (restart.ts) records such a call as a step
 * whose answer and diffs were lost, and replays it with the others.
 */
import fs from "node:fs";
import path from "node:path";
import { parseExactJson, stringifyExactJson } from "../json/exact-json.ts";
import { trajectoryDir } from "../trajectories/store.ts";

/** What was answered: a tool call, a call refused before the environment saw it (with why), or a reset. */
export type JournalAction = { kind: "call"; tool: string; args: Record<string, unknown> } | { kind: "refused"; tool: string; args: Record<string, unknown>; reason: string } | { kind: "reset" };
/** An answered action and the ordinal of the step it is to be. */
export type JournalEntry = JournalAction & { ordinal: number };

/**
 * The most of a journal read back. A call's arguments are capped by the request they came in, and a
 * playtest long enough to pass this has its steps written long since: only its tail can be missing.
 */
const MAX_JOURNAL_BYTES = 64 * 2 ** 20;

export function journalFile(trajectoryId: string): string {
  return path.join(trajectoryDir(trajectoryId), "playtest", "journal.jsonl");
}

/** Appends at once (synchronously): the caller answers only after the line is in the file. */
export function journal(trajectoryId: string, entry: JournalEntry): void {
  const file = journalFile(trajectoryId);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Exact JSON: a call's integers keep every digit, as its step would (see exact-json.ts).
  fs.appendFileSync(file, `${stringifyExactJson(entry)}\n`, { mode: 0o600 });
}

/**
 * The entries from `ordinal` on (the steps not written), in order. A line cut by the kill (the last
 * one) is no entry; a journal past its cap is read from its end.
 */
export function journaledFrom(trajectoryId: string, ordinal: number): JournalEntry[] {
  let text: string;
  try {
    const handle = fs.openSync(journalFile(trajectoryId), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      const size = fs.fstatSync(handle).size;
      const length = Math.min(size, MAX_JOURNAL_BYTES);
      const buffer = Buffer.alloc(length);
      fs.readSync(handle, buffer, 0, length, size - length);
      text = buffer.toString("utf8");
    } finally {
      fs.closeSync(handle);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const entries: JournalEntry[] = [];
  for (const line of text.split("\n")) {
    const entry = parseEntry(line);
    if (entry && entry.ordinal >= ordinal) entries.push(entry);
  }
  return entries.sort((a, b) => a.ordinal - b.ordinal);
}

function parseEntry(line: string): JournalEntry | undefined {
  try {
    const value = parseExactJson(line) as Partial<JournalEntry> & { tool?: unknown; args?: unknown };
    if (!Number.isSafeInteger(value.ordinal)) return undefined;
    if (value.kind === "reset") return { ordinal: value.ordinal!, kind: "reset" };
    if (value.kind === "call" && typeof value.tool === "string" && typeof value.args === "object" && value.args !== null && !Array.isArray(value.args)) {
      return { ordinal: value.ordinal!, kind: "call", tool: value.tool, args: value.args as Record<string, unknown> };
    }
    const { reason } = value as { reason?: unknown };
    if (value.kind === "refused" && typeof value.tool === "string" && typeof reason === "string" && typeof value.args === "object" && value.args !== null && !Array.isArray(value.args)) {
      return { ordinal: value.ordinal!, kind: "refused", tool: value.tool, args: value.args as Record<string, unknown>, reason };
    }
  } catch {
    // a line the kill cut short
  }
  return undefined;
}
