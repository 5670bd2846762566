/**
 * The studio's access token: 32 random bytes, created on first start in the studio home with mode
 * 0600, then read from there by the server (`?token=` URL, cookie, bearer) and `awm-studio token`.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { studioHome } from "../config/paths.ts";

const TOKEN_FILE = "studio-token";
const MIN_TOKEN_LENGTH = 32;

export function studioTokenFile(home = studioHome()): string {
  return path.join(home, TOKEN_FILE);
}

/** The token in the file, or undefined when there is none yet. */
export function readStudioToken(file = studioTokenFile()): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const token = text.trim();
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`${file} holds no valid studio token (fewer than ${MIN_TOKEN_LENGTH} characters): delete it and a new one is made`);
  return token;
}

/** The studio's token, created (owner-only) when the file does not exist. */
export function ensureStudioToken(file = studioTokenFile()): string {
  const existing = readStudioToken(file);
  if (existing) {
    fs.chmodSync(file, 0o600);
    return existing;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const token = crypto.randomBytes(32).toString("base64url");
  try {
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return ensureStudioToken(file);
    throw error;
  }
  return token;
}

/** Constant-time comparison (of digests, so lengths do not leak either). */
export function tokenMatches(given: string, expected: string): boolean {
  const digest = (value: string) => crypto.createHash("sha256").update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}
