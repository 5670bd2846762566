/**
 * What the database reader sees when it runs sandboxed: the project (its code and modules) and the
 * studio's folders of databases, read-only, and one scratch folder of its own to write; not the
 * studio's own database or token, not the rest of the machine, no network. A database built to
 * exploit SQLite would find nothing there worth reading and nowhere to write but its scratch.
 *
 * Every folder is seen at its own path, so reads name files as the studio does. A file outside them
 * (a run folder named on the command line, an instance's temp folder) is copied into the scratch
 * folder for the read, by plain file copies: SQLite never opens it in the studio.
 */
import type { ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { projectRoot, studioHome } from "../config/paths.ts";
import { newHostFolder } from "../runtime/host-folders.ts";
import { CAPS } from "../config/caps.ts";
import { detectSandbox, spawnIsolated, type SandboxMount } from "../runtime/sandbox.ts";

export interface ReaderLimits {
  /** The whole process (cgroup). */
  memoryBytes: number;
  /** Node's JS heap (--max-old-space-size). */
  heapMb: number;
  /** Processes and threads (cgroup): Node's own threads, with room to spare. */
  maxProcesses: number;
}

/**
 * Starts `script` (with Node and tsx) as the reader runs: sandboxed when bwrap works here, else a
 * plain child; in a cgroup of its own either way when cgroups are writable. It runs as the studio's
 * user, which owns the files it reads, with everything it sees read-only but its scratch folder.
 */
export function spawnReader(script: string, limits: ReaderLimits, home = studioHome()): ChildProcess {
  const sandboxed = detectSandbox().available;
  const { child } = spawnIsolated({
    mounts: readerMounts(home),
    argv: () => [process.execPath, `--max-old-space-size=${limits.heapMb}`, "--import", "tsx", script],
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...(sandboxed && { TMPDIR: READER_TMP }) },
    cwd: realFolder(projectRoot()),
    memoryBytes: limits.memoryBytes,
    addressSpaceBytes: null,
    maxProcesses: limits.maxProcesses,
    fileBytes: READER_FILE_BYTES,
    stdin: "pipe",
    hostUser: "studio",
    // Parsing untrusted databases is what SQLite is built for; without bwrap the reader still runs, capped.
    allowUnsandboxed: true,
  });
  return child;
}

/** The largest file a read writes (a database merged with its -wal): twice a run's database at its cap. */
const READER_FILE_BYTES = 2 * CAPS.runDatabase.bytes;

/** The studio's folders that hold databases the reader is asked about (seeds, runs, instances' snapshots, uploads). */
const HOME_DATA_FOLDERS = ["envs", "trajectories", "instances", "uploads"];
/** Size of the empty tmpfs that covers the studio's home: the data folders are bound back into it. */
const HOME_COVER_BYTES = 64 * 1024;
/** The reader's own /tmp-like folder (TMPDIR: tsx's compile cache). */
const READER_TMP = "/reader-tmp";
const READER_TMP_BYTES = 64 * 1024 * 1024;

let scratch: string | undefined;

/** The one folder the reader may write: a host folder of this process, removed at exit (or swept with the hosts' once the process is gone). */
export function readerScratch(): string {
  if (!scratch) {
    scratch = fs.realpathSync(newHostFolder());
    const made = scratch;
    process.once("exit", () => fs.rmSync(made, { recursive: true, force: true }));
  }
  return scratch;
}

/** A new empty folder in the reader's scratch, for files the studio makes for it to read or write. */
export function newReaderFolder(prefix: string): string {
  const dir = path.join(readerScratch(), `${prefix}${crypto.randomBytes(6).toString("hex")}`);
  fs.mkdirSync(dir);
  return dir;
}

/** The reader's mounts for the studio home `studioHomeDir`, each at its own path, parents before what is bound into them. */
function readerMounts(studioHomeDir: string): SandboxMount[] {
  const home = realFolder(studioHomeDir);
  const project = realFolder(projectRoot());
  const mounts: SandboxMount[] = [
    { host: project, inside: project },
    // Covers the home's own files (studio.db, studio-token) wherever the home lies, the project included.
    { host: home, inside: home, tmpfsBytes: HOME_COVER_BYTES },
    ...HOME_DATA_FOLDERS.map((name) => realFolder(path.join(home, name))).map((dir) => ({ host: dir, inside: dir })),
    { host: readerScratch(), inside: readerScratch(), writable: true },
    { host: READER_TMP, inside: READER_TMP, tmpfsBytes: READER_TMP_BYTES },
  ];
  // A stable sort by depth: a folder is bound before anything inside it (the project may lie in the home).
  return mounts.sort((a, b) => depth(a.inside) - depth(b.inside));
}

/** Whether a reader sandboxed for the studio home `home` sees `file` at this path (the scratch counts: it is bound too). */
function readerSees(file: string, home: string): boolean {
  const real = realFile(file);
  const roots = [...HOME_DATA_FOLDERS.map((name) => path.join(realFolder(home), name)), readerScratch()];
  return roots.some((root) => real === root || real.startsWith(`${root}${path.sep}`));
}

/** `file` at a path a reader of the studio home `home` sees: its own real path, or a copy (with its -wal) in a new scratch folder, which `done` removes. */
export function reachableByReader(file: string, home: string): { file: string; done: () => void } {
  if (!fs.existsSync(file) || readerSees(file, home)) return { file: fs.existsSync(file) ? realFile(file) : file, done: () => undefined };
  const dir = newReaderFolder("copy-");
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  return { file: copy, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function realFolder(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return fs.realpathSync(dir);
}

/** The real path of a file's folder, with its own name: the file itself may be a link, never followed here. */
function realFile(file: string): string {
  return path.join(fs.realpathSync(path.dirname(path.resolve(file))), path.basename(file));
}

function depth(dir: string): number {
  return dir.split(path.sep).filter(Boolean).length;
}
