/**
 * The studio's files are its owner's only: studio.db holds the API key, the home holds the access
 * token, environment folders hold code and data that may be private. Every studio process creates
 * files with umask 077 (0700 folders, 0600 files); files from before are tightened when opened.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const OWNER_ONLY_UMASK = 0o077;
const STICKY_BIT = 0o1000;

export function createFilesOwnerOnly(): void {
  process.umask(OWNER_ONLY_UMASK);
}

/** The studio home as a 0700 folder (created when missing). Shared folders such as /tmp are never narrowed. */
export function ensurePrivateHome(home: string): void {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(home);
  const shared = (stat.mode & STICKY_BIT) !== 0 || [os.homedir(), os.tmpdir(), path.parse(home).root].includes(path.resolve(home));
  if (!shared && (stat.mode & 0o077) !== 0) fs.chmodSync(home, 0o700);
}

/** A SQLite database and its -wal/-shm files as 0600, where they exist. */
export function makeDatabasePrivate(databaseFile: string): void {
  for (const file of [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`]) {
    try {
      fs.chmodSync(file, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}
