/** Minimal HTTP/1.1 client over a Unix domain socket, with a deadline and a size cap per call. */
import http from "node:http";
import { CAPS, capText, type Cap } from "../config/caps.ts";

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export interface UdsRequest {
  method: string;
  /** Path plus query string, e.g. "/api/items/3?limit=5". */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  agent?: http.Agent;
  /** Cap on the response body; defaults to CAPS.environmentResponse. */
  maxResponse?: Cap;
}

export interface UdsResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class UdsTimeoutError extends Error {
  constructor(
    readonly request: string,
    readonly timeoutMs: number,
  ) {
    super(`${request} got no answer within ${timeoutMs} ms`);
    this.name = "UdsTimeoutError";
  }
}

/**
 * The answer was longer than its cap: reading stopped at the cap and the connection was closed,
 * so the studio never holds more than the cap. The server process is left running.
 */
export class UdsResponseTooLargeError extends Error {
  constructor(
    readonly request: string,
    readonly cap: Cap,
  ) {
    super(`${request}: the environment's answer is over ${capText(cap)}; it was cut off and discarded (the instance keeps running)`);
    this.name = "UdsResponseTooLargeError";
  }
}

export function udsRequest(socketPath: string, request: UdsRequest): Promise<UdsResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const cap = request.maxResponse ?? CAPS.environmentResponse;
  const label = `${request.method} ${request.url}`;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers["content-length"] = Buffer.byteLength(request.body);
    const outgoing = http.request({ socketPath, method: request.method, path: request.url, headers, agent: request.agent }, (incoming) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const refuse = () => {
        fail(new UdsResponseTooLargeError(label, cap));
        chunks.length = 0;
        incoming.removeAllListeners("data");
        incoming.on("error", () => undefined);
        // Closing the connection is what stops the server writing; it only sees a client that left.
        outgoing.destroy();
      };
      if (Number(incoming.headers["content-length"] ?? 0) > cap.bytes) return refuse();
      incoming.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > cap.bytes) refuse();
        else chunks.push(chunk);
      });
      incoming.on("error", fail);
      incoming.on("end", () => {
        clearTimeout(deadline);
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    const deadline = setTimeout(() => outgoing.destroy(new UdsTimeoutError(label, timeoutMs)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(deadline);
      const known = error instanceof UdsTimeoutError || error instanceof UdsResponseTooLargeError;
      reject(known ? error : new Error(`${label} over ${socketPath} failed: ${error.message}`, { cause: error }));
    }
    outgoing.on("error", fail);
    outgoing.end(request.body);
  });
}
