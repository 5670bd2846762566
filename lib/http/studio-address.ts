/**
 * Where the running studio listens, as its server wrote it at start (`<home>/studio-url`), so the
 * CLI's commands that act on it find a studio started on another port or host. AWM_STUDIO_URL
 * overrides it; without either the CLI tries this machine's settings (PORT, AWM_STUDIO_HOST).
 */
import fs from "node:fs";
import path from "node:path";
import { studioHome } from "../config/paths.ts";
import type { Env } from "./access-config.ts";

/** The file is the server's own line: a URL, nothing more. */
const MAX_URL_LENGTH = 2_048;

export function studioAddressFile(home = studioHome()): string {
  return path.join(home, "studio-url");
}

export function writeStudioAddress(url: string, file = studioAddressFile()): void {
  const staged = `${file}.${process.pid}`;
  fs.writeFileSync(staged, `${url}\n`, { mode: 0o600 });
  fs.renameSync(staged, file);
}

/** Removes the file when it still names `url` (another server may have started since). */
export function removeStudioAddress(url: string, file = studioAddressFile()): void {
  if (readStudioAddress(file) === url) fs.rmSync(file, { force: true });
}

export function readStudioAddress(file = studioAddressFile()): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const url = text.trim();
  return url.length > 0 && url.length <= MAX_URL_LENGTH && /^https?:\/\//.test(url) ? url : undefined;
}

/** The studio the CLI talks to: AWM_STUDIO_URL, else the running server's address, else `fallback` (this machine's settings). */
export function studioBaseUrl(fallback: string, env: Env = process.env, file = studioAddressFile()): string {
  return env.AWM_STUDIO_URL || readStudioAddress(file) || fallback;
}
