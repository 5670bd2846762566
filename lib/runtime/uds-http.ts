/** Minimal HTTP/1.1 client over a Unix domain socket, with a deadline per call. */
import http from "node:http";

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export interface UdsRequest {
  method: string;
  /** Path plus query string, e.g. "/api/items/3?limit=5". */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  agent?: http.Agent;
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

export function udsRequest(socketPath: string, request: UdsRequest): Promise<UdsResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const label = `${request.method} ${request.url}`;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers["content-length"] = Buffer.byteLength(request.body);
    const outgoing = http.request({ socketPath, method: request.method, path: request.url, headers, agent: request.agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", fail);
      incoming.on("end", () => {
        clearTimeout(deadline);
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    const deadline = setTimeout(() => outgoing.destroy(new UdsTimeoutError(label, timeoutMs)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(deadline);
      reject(error instanceof UdsTimeoutError ? error : new Error(`${label} over ${socketPath} failed: ${error.message}`, { cause: error }));
    }
    outgoing.on("error", fail);
    outgoing.end(request.body);
  });
}
