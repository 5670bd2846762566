/**
 * The folders environment hosts work in: one per host, under a root in the system's temp folder
 * that belongs to this user alone. A folder is named after the process that made it, so a process
 * that starts hosts can remove what dead ones left (a studio killed with SIGKILL never cleans up).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { processExists } from "../process-exists.ts";

let made = 0;
let swept = false;

/**
 * The root: per user, and checked to be this user's (the temp folder is everyone's; a name there may
 * be someone else's). Mode 0711: others may not list it or make anything in it, but a sandbox that
 * runs as another user (see handToSandbox) can reach the host folder handed to it.
 */
export function hostsRoot(): string {
  const uid = process.getuid?.() ?? 0;
  const root = path.join(sandboxReachableTemp(), `awm-studio-hosts-${uid}`);
  fs.mkdirSync(root, { recursive: true, mode: ROOT_MODE });
  const stat = fs.lstatSync(root);
  if (!stat.isDirectory() || stat.uid !== uid) throw new Error(`${root} is not a folder of this user (uid ${uid}): remove it, the studio makes its own`);
  if ((stat.mode & 0o777) !== ROOT_MODE) fs.chmodSync(root, ROOT_MODE);
  return root;
}

const ROOT_MODE = 0o711;

/**
 * The temp folder, when every folder above it lets others pass (a sandbox started as another user
 * must reach what is handed to it there); else /tmp, which always does. TMPDIR may name a folder
 * under one only its owner can enter.
 */
export function sandboxReachableTemp(): string {
  const temp = os.tmpdir();
  for (let dir = path.resolve(temp); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return "/tmp";
    if (dir === path.dirname(dir)) return temp;
  }
}

/** A new, empty host folder; the first in a process also removes the folders of processes that are gone. */
export function newHostFolder(): string {
  const root = hostsRoot();
  if (!swept) {
    swept = true;
    removeDeadProcessFolders(root);
  }
  const dir = path.join(root, `${process.pid}-${++made}-${crypto.randomBytes(3).toString("hex")}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}

export function removeDeadProcessFolders(root = hostsRoot()): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(root)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!pid || processExists(pid)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
