import crypto from "node:crypto";

const MAX_NAME = 80;
const HASH_CHARS = 12;

/**
 * A file name for a studio-chosen name (an environment's normalized scenario name): the name itself
 * when it is short and only [a-z0-9_]; otherwise a cleaned prefix plus "-" and a hash of the full
 * name, so it stays under MAX_NAME characters, has no separators or dots, and never collides with
 * another name (plain names have no "-").
 */
export function boundedFileName(name: string): string {
  if (/^[a-z0-9_]+$/.test(name) && name.length <= MAX_NAME) return name;
  const hash = crypto.createHash("sha256").update(name).digest("hex").slice(0, HASH_CHARS);
  const prefix = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, MAX_NAME - HASH_CHARS - 1);
  return `${prefix || "env"}-${hash}`;
}
