import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { Cap } from "../config/caps.ts";
import { openInputFile } from "./input-file.ts";
import { forEachLine, type LineProblem } from "./read-lines.ts";

const MiB = 1024 * 1024;
const cap = (bytes: number): Cap => ({ bytes, what: "a test line", why: "test" });

function readAll(content: string | Buffer, lineCap: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-lines-"));
  fs.writeFileSync(path.join(dir, "f.jsonl"), content);
  const file = openInputFile(dir, "f.jsonl", cap(64 * MiB));
  const lines: [number, string][] = [];
  const problems: LineProblem[] = [];
  try {
    forEachLine(file, { line: cap(lineCap), file: cap(64 * MiB) }, (text, line) => lines.push([line, text]), (problem) => problems.push(problem));
  } finally {
    fs.closeSync(file.fd);
  }
  return { lines, problems };
}

test("lines keep their numbers across blank lines, CRLF, a BOM and a missing final newline", () => {
  const { lines, problems } = readAll("\uFEFFone\r\n\ntwo\nthree", 100);
  assert.deepEqual(lines, [[1, "one"], [3, "two"], [4, "three"]]);
  assert.deepEqual(problems, []);
});

test("a line longer than a read chunk is joined; a line over its cap is skipped and counted, the next one read", () => {
  const long = "a".repeat(1.5 * MiB);
  const tooLong = "b".repeat(2 * MiB + 1);
  const { lines, problems } = readAll(`${long}\n${tooLong}\nlast\n${tooLong}`, 2 * MiB);
  assert.deepEqual(lines.map(([line, text]) => [line, text.length]), [[1, long.length], [3, 4]]);
  assert.deepEqual(problems.map((problem) => problem.line), [2, 4]);
  assert.match(problems[0]!.message, /^line 2 is 2\.0 MiB, over the 2 MiB cap on a test line; it was skipped$/);
});

test("multi-byte characters split across read chunks decode intact", () => {
  const text = `${"x".repeat(MiB - 1)}é€😀`;
  const { lines } = readAll(`${text}\n`, 4 * MiB);
  assert.equal(lines[0]?.[1], text);
});
