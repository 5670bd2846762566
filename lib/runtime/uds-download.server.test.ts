import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { udsDownload } from "./uds-download.ts";

const folder = fs.mkdtempSync(path.join(os.tmpdir(), "awm-uds-download-"));
const socketPath = path.join(folder, "answers.sock");
const small = crypto.randomBytes(12_288);
const large = crypto.randomBytes(3 * 2 ** 20 + 7); // past what is held in memory: streamed to the file
let server: http.Server;

before(async () => {
  server = http.createServer((request, response) => {
    const body = request.url === "/large" ? large : small;
    // Sent in pieces, as a big snapshot arrives.
    for (let offset = 0; offset < body.length; offset += 65_536) response.write(body.subarray(offset, offset + 65_536));
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(folder, { recursive: true, force: true });
});

const download = (url: string, toFile: string, maxBytes = 8 * 2 ** 20) => udsDownload({ socketPath, url, toFile, maxBytes, timeoutMs: 10_000 });

test("an answer held in memory and one streamed to the file are both written whole", async () => {
  const smallFile = path.join(folder, "small.db");
  assert.equal((await download("/small", smallFile)).size, small.length);
  assert.ok(fs.readFileSync(smallFile).equals(small));
  const largeFile = path.join(folder, "large.db");
  assert.equal((await download("/large", largeFile)).size, large.length);
  assert.ok(fs.readFileSync(largeFile).equals(large));
});

test("an answer over its cap fails naming the cap and leaves no file, held in memory or streamed", async () => {
  for (const [url, cap] of [["/small", 4_096], ["/large", 2 ** 20 + 100_000]] as const) {
    const file = path.join(folder, `over${url.slice(1)}.db`);
    await assert.rejects(download(url, file, cap), new RegExp(`over its cap of ${cap} bytes`));
    assert.equal(fs.existsSync(file), false, `${url}: nothing is left behind`);
  }
});
