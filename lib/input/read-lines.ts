/**
 * Reads an opened file line by line in fixed chunks, so memory stays at one chunk plus one line:
 * a line over its cap is skipped (its length is counted, never held) and reported with its
 * number; the file is never held as one string. Lines are 1-based; CRLF and a leading BOM are removed.
 */
import fs from "node:fs";
import { capText, formatBytes, type Cap } from "../config/caps.ts";
import type { InputFile } from "./input-file.ts";

const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 10;

export interface LineProblem {
  line: number;
  message: string;
}

export interface LineCaps {
  line: Cap;
  file: Cap;
}

export function forEachLine(
  file: InputFile,
  caps: LineCaps,
  onLine: (text: string, line: number) => void,
  onProblem: (problem: LineProblem) => void,
): void {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overLong = false;
  let line = 1;
  let total = 0;

  const emit = (bytes: Buffer) => {
    let text = bytes.toString("utf8");
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (line === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
    onLine(text, line);
  };
  const endLine = () => {
    if (overLong) {
      onProblem({ line, message: `line ${line} is ${formatBytes(pendingBytes)}, over ${capText(caps.line)}; it was skipped` });
    } else if (pending.length > 0) {
      emit(pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes));
    }
    pending = [];
    pendingBytes = 0;
    overLong = false;
  };

  for (let read; (read = fs.readSync(file.fd, buffer, 0, buffer.length, null)) > 0; ) {
    total += read;
    if (total > caps.file.bytes) {
      onProblem({ line, message: `the file grew past ${capText(caps.file)} while it was read; reading stopped at line ${line}` });
      return;
    }
    const chunk = buffer.subarray(0, read);
    for (let start = 0; start < read; ) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? read : newline;
      pendingBytes += end - start;
      if (pendingBytes > caps.line.bytes && !overLong) {
        overLong = true;
        pending = [];
      }
      // The chunk buffer is reused: a piece kept across reads must be copied.
      if (!overLong && end > start) pending.push(newline === -1 ? Buffer.from(chunk.subarray(start, end)) : chunk.subarray(start, end));
      if (newline === -1) break;
      endLine();
      line += 1;
      start = newline + 1;
    }
  }
  endLine();
}
