/** Streams one HTTP answer over a Unix socket into a file, refusing answers over a size cap. */
import fs from "node:fs";
import http from "node:http";
import { UdsTimeoutError } from "./uds-http.ts";

export interface UdsDownload {
  socketPath: string;
  url: string;
  toFile: string;
  maxBytes: number;
  timeoutMs: number;
  agent?: http.Agent;
  /** A 204 answer is a success that writes nothing (e.g. "nothing changed since"). */
  acceptNoContent?: boolean;
}

export interface Downloaded {
  /** Bytes written to the file; null for an accepted 204, which writes no file. */
  size: number | null;
  headers: http.IncomingHttpHeaders;
}

/** Answers up to this size are written with one synchronous write once complete. */
const IN_MEMORY_BYTES = 1 << 20;

/** Writes the body of a 200 answer to `toFile`; nothing is left behind on failure. */
export function udsDownload({ socketPath, url, toFile, maxBytes, timeoutMs, agent, acceptNoContent = false }: UdsDownload): Promise<Downloaded> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let out: fs.WriteStream | undefined;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      outgoing.destroy();
      const removed = () => {
        fs.rmSync(toFile, { force: true });
        reject(error);
      };
      // A stream still opening creates the file when its open completes: it goes once the stream has closed.
      if (out && !out.closed) out.once("close", removed).destroy();
      else removed();
    };
    const outgoing = http.request({ socketPath, method: "GET", path: url, agent }, (incoming) => {
      incoming.on("error", fail);
      if (incoming.statusCode === 204 && acceptNoContent) {
        incoming.resume();
        incoming.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve({ size: null, headers: incoming.headers });
        });
        return;
      }
      if (incoming.statusCode !== 200) {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.length < 4 && chunks.push(chunk));
        incoming.on("end", () => fail(new Error(`GET ${url} answered HTTP ${incoming.statusCode}: ${Buffer.concat(chunks).toString("utf8").slice(0, 2_000)}`)));
        return;
      }
      if (Number(incoming.headers["content-length"] ?? 0) > maxBytes) return fail(new Error(`GET ${url}: the answer is over its cap of ${maxBytes} bytes`));
      // Held in memory up to IN_MEMORY_BYTES and written at once (most snapshots are a few pages):
      // a file stream's open, write and close each wait in libuv's thread pool.
      let held: Buffer[] | undefined = [];
      let received = 0;
      incoming.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) return fail(new Error(`GET ${url}: the answer is over its cap of ${maxBytes} bytes; it was discarded`));
        if (held && received <= IN_MEMORY_BYTES) return void held.push(chunk);
        if (!out) {
          out = fs.createWriteStream(toFile);
          out.on("error", fail);
          for (const earlier of held ?? []) out.write(earlier);
          held = undefined;
        }
        out.write(chunk);
      });
      incoming.on("end", () => {
        if (settled) return;
        const done = () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve({ size: received, headers: incoming.headers });
        };
        if (!out) {
          try {
            fs.writeFileSync(toFile, Buffer.concat(held ?? []));
          } catch (error) {
            return fail(error as Error);
          }
          return done();
        }
        out.end(done);
      });
    });
    const deadline = setTimeout(() => fail(new UdsTimeoutError(`GET ${url}`, timeoutMs)), timeoutMs);
    outgoing.on("error", fail);
    outgoing.end();
  });
}
