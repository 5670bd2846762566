/**
 * Removing what a scratch folder holds once it is old enough. Another process may remove an entry
 * at the same moment (the server's sweep beside a CLI command): an entry already gone is skipped.
 */
import fs from "node:fs";
import path from "node:path";

/** Removes the entries of `dir` last modified `maxAgeMs` or more before `now`; returns their names. */
export function removeAgedEntries(dir: string, maxAgeMs: number, now = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const entry = path.join(dir, name);
    let modified: number;
    try {
      modified = fs.lstatSync(entry).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    if (now - modified < maxAgeMs) continue;
    fs.rmSync(entry, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
