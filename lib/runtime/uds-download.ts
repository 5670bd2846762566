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
      out?.destroy();
      fs.rmSync(toFile, { force: true });
      reject(error);
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
      const stream = fs.createWriteStream(toFile);
      out = stream;
      let received = 0;
      stream.on("error", fail);
      incoming.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) fail(new Error(`GET ${url}: the answer is over its cap of ${maxBytes} bytes; it was discarded`));
        else stream.write(chunk);
      });
      incoming.on("end", () => {
        if (settled) return;
        stream.end(() => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve({ size: received, headers: incoming.headers });
        });
      });
    });
    const deadline = setTimeout(() => fail(new UdsTimeoutError(`GET ${url}`, timeoutMs)), timeoutMs);
    outgoing.on("error", fail);
    outgoing.end();
  });
}
