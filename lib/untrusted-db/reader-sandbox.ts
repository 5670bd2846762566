/**
 * What the database reader sees when it runs sandboxed: of the project its code and modules, the
 * studio's folders of databases and a folder of inputs the studio makes for it, read-only, and one
 * folder of outputs to write; not the studio's own database or token, not the rest of the machine,
 * no network. A database built to exploit SQLite would find nothing there worth reading, and
 * nowhere to write that the studio reads by path.
 *
 * Every folder is seen at its own path, so reads name files as the studio does. A file outside them
 * (a run folder named on the command line, an instance's temp folder), or a database in WAL mode, is
 * copied for the read, by plain file copies: SQLite never opens it in the studio.
 */
import type { ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { projectRoot, studioHome } from "../config/paths.ts";
import { readSandboxOutput } from "../input/input-file.ts";
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

let folders: { inputs: string; outputs: string } | undefined;

/**
 * The reader's two folders, in a host folder of this process (removed at exit, or swept with the
 * hosts' once the process is gone). `inputs`: what the studio makes for the reader to read (copies,
 * the checks' databases), read-only to it. `outputs`: the one folder it may write, where the studio
 * writes only new files (O_EXCL) in new folders and reads without following links: a reader taken
 * over by a database keeps running between reads, and anything the studio wrote or read by path in a
 * folder it can write could be a link it planted (to the studio's token, say).
 */
function readerFolders(): { inputs: string; outputs: string } {
  if (!folders) {
    const root = fs.realpathSync(newHostFolder());
    folders = { inputs: path.join(root, "inputs"), outputs: path.join(root, "outputs") };
    for (const dir of Object.values(folders)) fs.mkdirSync(dir);
    process.once("exit", () => {
      try {
        fs.rmSync(root, { recursive: true, force: true });
      } catch {
        // a reader still writing there: the next start's sweep removes it
      }
    });
  }
  return folders;
}

/** A new empty folder the reader can read and not write, for files the studio makes for it (a check's database). */
export function newReaderInputFolder(prefix: string): string {
  return newFolderIn(readerFolders().inputs, prefix);
}

/** A new empty folder the reader can write: what it writes there is read back with readReaderOutput. */
export function newReaderOutputFolder(prefix: string): string {
  return newFolderIn(readerFolders().outputs, prefix);
}

/** A file the reader wrote, read without following a link and only when it is a regular file. */
export function readReaderOutput(file: string): Buffer {
  return readSandboxOutput(file, "the database reader");
}

function newFolderIn(parent: string, prefix: string): string {
  const dir = path.join(parent, `${prefix}${crypto.randomBytes(6).toString("hex")}`);
  fs.mkdirSync(dir);
  return dir;
}

/** What of the project the reader runs: its code and modules, not its other files (a .env with a key, an old ./data). */
const PROJECT_PARTS = ["lib", "node_modules", "package.json", "tsconfig.json"];

/** The reader's mounts for the studio home `studioHomeDir`, each at its own path, parents before what is bound into them. */
function readerMounts(studioHomeDir: string): SandboxMount[] {
  const home = realFolder(studioHomeDir);
  const project = realFolder(projectRoot());
  const { inputs, outputs } = readerFolders();
  const mounts: SandboxMount[] = [
    ...PROJECT_PARTS.map((part) => path.join(project, part))
      .filter((part) => fs.existsSync(part))
      .map((part) => ({ host: part, inside: part })),
    // Covers the home's own files (studio.db, studio-token) wherever the home lies.
    { host: home, inside: home, tmpfsBytes: HOME_COVER_BYTES },
    ...homeDataFolders(home).map((dir) => ({ host: dir, inside: dir })),
    { host: inputs, inside: inputs },
    { host: outputs, inside: outputs, writable: true },
    { host: READER_TMP, inside: READER_TMP, tmpfsBytes: READER_TMP_BYTES },
  ];
  // A stable sort by depth: a folder is bound before anything inside it (the project may lie in the home).
  return mounts.sort((a, b) => depth(a.inside) - depth(b.inside));
}

/** Whether a reader sandboxed for the studio home `home` sees `file` at this path (its own folders count: they are bound too). */
function readerSees(file: string, home: string): boolean {
  const real = realFile(file);
  return readerRoots(home).some((root) => real === root || real.startsWith(`${root}${path.sep}`));
}

const rootsByHome = new Map<string, string[]>();

/** The real paths of the folders a reader of `home` is given, found once per home: every read asks. */
function readerRoots(home: string): string[] {
  let roots = rootsByHome.get(home);
  if (!roots) {
    roots = [...homeDataFolders(home), ...Object.values(readerFolders())];
    rootsByHome.set(home, roots);
  }
  return roots;
}

function homeDataFolders(home: string): string[] {
  return HOME_DATA_FOLDERS.map((name) => realFolder(path.join(realFolder(home), name)));
}

/**
 * `file` at a path a reader of the studio home `home` sees: its own real path, or a copy made for the
 * read, which `done` removes. Copied: a file outside the reader's folders, and a database in WAL mode
 * (SQLite reads one only where it can make its -shm beside it: its folders are read-only to it), that
 * one with its -wal into a folder it can write, each copy a new file (never written through a link).
 */
export function reachableByReader(file: string, home: string): { file: string; done: () => void } {
  if (!fs.existsSync(file)) return { file, done: () => undefined };
  const wal = isWalDatabase(file);
  if (!wal && readerSees(file, home)) return { file: realFile(file), done: () => undefined };
  const dir = wal ? newReaderOutputFolder("copy-") : newReaderInputFolder("copy-");
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy, fs.constants.COPYFILE_EXCL);
  if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`, fs.constants.COPYFILE_EXCL);
  return { file: copy, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** SQLite header bytes 18-19 (file format write and read versions) are 2 for a database in WAL mode. */
export function isWalDatabase(file: string): boolean {
  const header = Buffer.alloc(20);
  const handle = fs.openSync(file, "r");
  try {
    return fs.readSync(handle, header, 0, 20, 0) === 20 && header[18] === 2;
  } finally {
    fs.closeSync(handle);
  }
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
