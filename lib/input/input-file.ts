/**
 * Opens files of a folder the studio imports (AWM folders, run folders, seed files) so that
 * reading never blocks and never leaves the folder: only regular files are opened (a FIFO, a
 * device or a directory is refused before it is opened), links are resolved and must stay inside
 * the folder, the file is opened with O_NOFOLLOW|O_NONBLOCK and checked again on its descriptor,
 * and a file over its cap is refused before a byte is read.
 */
import fs from "node:fs";
import path from "node:path";
import { capText, formatBytes, type Cap } from "../config/caps.ts";
import { messageOf } from "../errors.ts";

/** The file cannot be read as it is: what it is and why it was refused, naming the file. */
export class InputRefusedError extends Error {
  override name = "InputRefusedError";
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** The input is over its cap (answered 413 by upload routes). */
export class InputTooLargeError extends InputRefusedError {
  override name = "InputTooLargeError";
  constructor(file: string, bytes: number | undefined, cap: Cap) {
    super(file, `${file} ${bytes === undefined ? "is larger than" : `is ${formatBytes(bytes)}, over`} ${capText(cap)}; it was not read`);
  }
}

export interface InputFile {
  fd: number;
  size: number;
}

const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;

/** Opens `name` inside `folder` for reading; the caller closes `fd`. Throws InputRefusedError. */
export function openInputFile(folder: string, name: string, cap: Cap): InputFile {
  const label = path.join(folder, name);
  let root: string;
  try {
    root = fs.realpathSync(folder);
  } catch (error) {
    throw new InputRefusedError(label, `cannot open folder ${folder}: ${messageOf(error)}`);
  }
  const candidate = path.join(root, name);
  const target = resolveInside(root, candidate, label);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    throw new InputRefusedError(label, `cannot read ${label}: ${messageOf(error)}`);
  }
  refuseIrregular(stat, label);
  let fd: number;
  try {
    fd = fs.openSync(target, OPEN_FLAGS);
  } catch (error) {
    throw new InputRefusedError(label, `cannot open ${label}: ${messageOf(error)}`);
  }
  try {
    // The path may have been swapped between the checks and open(): the descriptor decides.
    const opened = fs.fstatSync(fd);
    refuseIrregular(opened, label);
    if (opened.size > cap.bytes) throw new InputTooLargeError(label, opened.size, cap);
    return { fd, size: opened.size };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/**
 * A file a sandboxed process wrote where it can write (its output), read whole: without following a
 * link it may have put there, and only when it is a regular file. `writer` names it in the error.
 */
export function readSandboxOutput(file: string, writer: string): Buffer {
  const handle = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    if (!fs.fstatSync(handle).isFile()) throw new Error(`${writer}'s output ${file} is not a regular file`);
    return fs.readFileSync(handle);
  } finally {
    fs.closeSync(handle);
  }
}

const CHUNK_BYTES = 1024 * 1024;

/** Copies the file to `target` (created anew), at most `cap.bytes`. */
export function copyInputFile(folder: string, name: string, cap: Cap, target: string): void {
  const file = openInputFile(folder, name, cap);
  let out: number | undefined;
  try {
    out = fs.openSync(target, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let total = 0;
    for (let read; (read = fs.readSync(file.fd, buffer, 0, buffer.length, null)) > 0; ) {
      total += read;
      if (total > cap.bytes) throw new InputTooLargeError(path.join(folder, name), undefined, cap);
      fs.writeSync(out, buffer, 0, read);
    }
  } finally {
    if (out !== undefined) fs.closeSync(out);
    fs.closeSync(file.fd);
  }
}

/** Follows a link at `candidate` (any depth) and requires the file it names to be inside `root`. */
function resolveInside(root: string, candidate: string, label: string): string {
  let link: fs.Stats;
  try {
    link = fs.lstatSync(candidate);
  } catch (error) {
    throw new InputRefusedError(label, `cannot read ${label}: ${messageOf(error)}`);
  }
  if (!link.isSymbolicLink()) return candidate;
  let target: string;
  try {
    target = fs.realpathSync(candidate);
  } catch (error) {
    throw new InputRefusedError(label, `${label} is a link that cannot be followed: ${messageOf(error)}`);
  }
  const relative = path.relative(root, target);
  if (relative === "" || relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new InputRefusedError(label, `${label} is a link to ${target}, outside the folder ${root}; only files inside the imported folder are read`);
  }
  return target;
}

function refuseIrregular(stat: fs.Stats, label: string): void {
  if (stat.isFile()) return;
  throw new InputRefusedError(label, `${label} is ${kindOf(stat)}, not a regular file; only regular files are read`);
}

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  if (stat.isDirectory()) return "a directory";
  if (stat.isSymbolicLink()) return "a link";
  return "not a file";
}
