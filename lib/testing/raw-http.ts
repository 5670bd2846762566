/**
 * HTTP requests exactly as an attacker would send them, for the hostile tests: any Host, Origin or
 * Content-Type (fetch would not forge Host), and bodies streamed lazily so a test can see how much
 * the server read before it answered.
 */
import http from "node:http";
import { Readable } from "node:stream";

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function rawRequest(port: number, method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, method, path: pathname, headers, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

export interface StreamedAnswer {
  answer: RawAnswer;
  /** Bytes of the body produced when the answer arrived. */
  produced: number;
  ms: number;
}

/**
 * POSTs `total` bytes of spaces as a lazy stream, with a Content-Length or chunked, and stops
 * sending as soon as the answer arrives.
 */
export function streamBody(port: number, pathname: string, headers: Record<string, string>, total: number, declareLength: boolean): Promise<StreamedAnswer> {
  const chunk = Buffer.alloc(256 * 1024, 0x20);
  let produced = 0;
  const body = new Readable({
    read() {
      if (produced >= total) {
        this.push(null);
        return;
      }
      produced += chunk.length;
      this.push(chunk);
    },
  });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const allHeaders = { ...headers, ...(declareLength ? { "content-length": String(total) } : {}) };
    const request = http.request({ host: "127.0.0.1", port, method: "POST", path: pathname, headers: allHeaders, agent: false }, (response) => {
      const producedAtAnswer = produced;
      body.unpipe(request);
      body.destroy();
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (part: string) => (text += part));
      response.on("end", () => {
        request.destroy();
        resolve({ answer: { status: response.statusCode ?? 0, headers: response.headers, text }, produced: producedAtAnswer, ms: performance.now() - started });
      });
    });
    // Once the answer is in, the server closing the connection under the unsent rest is expected.
    request.on("error", (error) => (body.destroyed ? undefined : reject(error)));
    body.pipe(request);
  });
}

/** The `{ error: { message } }` of a refused request. */
export function errorMessage(answer: RawAnswer): string {
  return (JSON.parse(answer.text) as { error: { message: string } }).error.message;
}
