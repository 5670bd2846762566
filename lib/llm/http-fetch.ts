/**
 * The `fetch` the OpenAI client is given: node:http(s) over kept-alive connections, resolving only
 * once the whole answer is in. Against Node's own fetch (undici) it is
 * - bounded: an answer over MAX_ANSWER_BYTES, compressed or once decompressed, is refused, and the
 *   client's timeout covers the body (the client stops its timer when fetch resolves, which undici
 *   does at the headers, so an endpoint trickling its body was never timed out);
 * - plain about what is wrong: a redirect names where it points, an undecodable body its encoding;
 *   such answers are UnusableAnswerErrors, which asking again cannot mend;
 * - cheaper per request (measured in the commit that brought it).
 * Compressed answers are decoded though none is asked for (no Accept-Encoding is sent). Redirects
 * are not followed: the base URL is the user's to fix, and the key goes to no other address.
 */
import http from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import zlib from "node:zlib";

export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * Idle connections are closed after this, before the 5 s after which uvicorn and Node servers
 * close theirs: a request never goes out on a connection the server is closing.
 */
const IDLE_SOCKET_MS = 4_000;
/** Per protocol, its request function and its pool of kept-alive connections. */
const transports = {
  "http:": { request: http.request, agent: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }) },
  "https:": { request: https.request, agent: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }) },
};
type Transport = (typeof transports)["http:"];

/** The statuses whose Response has no body. */
const NO_BODY = new Set([204, 205, 304]);

/** An answer that came whole but cannot be used: asking again gets the same one. */
export class UnusableAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnusableAnswerError";
  }
}

export class AnswerTooLargeError extends UnusableAnswerError {
  constructor(where: string) {
    super(`the endpoint's answer is over ${MAX_ANSWER_BYTES} bytes${where}: refused`);
    this.name = "AnswerTooLargeError";
  }
}

export async function httpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  if (input instanceof Request) throw new TypeError("httpFetch takes a URL and RequestInit, not a Request");
  const url = new URL(input);
  const transport: Transport | undefined = url.protocol === "http:" || url.protocol === "https:" ? transports[url.protocol] : undefined;
  if (!transport) throw new TypeError(`httpFetch serves http: and https: URLs, not ${url.protocol}`);
  if (url.username || url.password) throw new TypeError("the endpoint's URL holds credentials: put the key in the API key setting instead");
  const body = requestBody(init.body);
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  if (body !== undefined) headers["content-length"] = String(body.byteLength);
  const method = init.method ?? "GET";
  const answer = await exchange(url, transport, { method, headers, body, signal: init.signal ?? undefined });
  return toResponse(answer, method, await decoded(answer));
}

function requestBody(body: RequestInit["body"]): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError("httpFetch sends string or byte bodies only");
}

interface Exchange {
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  signal: AbortSignal | undefined;
}

interface Answer {
  message: http.IncomingMessage;
  body: Buffer;
}

/** One request and its whole answer. Settles exactly once: on the answer's end, an error, an abort or a connection that closes first. */
function exchange(url: URL, { request: send, agent }: Transport, { method, headers, body, signal }: Exchange): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const request = send(url, { method, headers, agent });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    // Settled first, then the request destroyed: a request Node has destroyed already (an answer
    // with Upgrade, which it drops without an event) emits nothing more.
    const fail = (error: Error) => {
      if (settled) return; // an answer that ended whole leaves its connection to the next request
      settle(() => reject(error));
      request.destroy();
    };
    const onAbort = () => fail(abortError());
    signal?.addEventListener("abort", onAbort, { once: true });
    const closed = () => fail(new Error("the connection closed before the endpoint's answer was complete"));
    let answered = false;
    request.on("error", fail);
    // Before an answer only: once one has begun, its own 'error' or 'end' says how it ended.
    request.on("close", () => answered || closed());
    request.on("response", (message) => {
      answered = true;
      message.on("error", fail);
      message.on("close", closed); // after 'end' or 'error', which have settled already
      const declared = Number(message.headers["content-length"]);
      if (declared > MAX_ANSWER_BYTES) return fail(new AnswerTooLargeError(` (Content-Length ${declared})`));
      const chunks: Buffer[] = [];
      let size = 0;
      message.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) fail(new AnswerTooLargeError(""));
        else chunks.push(chunk);
      });
      message.on("end", () => settle(() => resolve({ message, body: Buffer.concat(chunks) })));
    });
    request.end(body);
  });
}

const decoders: Record<string, (raw: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  "x-gzip": promisify(zlib.gunzip),
  // Many servers send raw deflate data where the header says zlib's: both are read.
  deflate: (raw, options) => promisify(zlib.inflate)(raw, options).catch(() => promisify(zlib.inflateRaw)(raw, options)),
  br: promisify(zlib.brotliDecompress) as (raw: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>,
};

/** The body as sent, decoded (off the event loop) when the server compressed it anyway, never beyond the cap. */
async function decoded({ message, body }: Answer): Promise<Buffer> {
  const encoding = message.headers["content-encoding"]?.trim().toLowerCase();
  if (!encoding || encoding === "identity" || body.length === 0) return body;
  const decode = decoders[encoding];
  if (!decode) throw new UnusableAnswerError(`the endpoint's answer has Content-Encoding ${encoding}, which the studio cannot decode`);
  try {
    return await decode(body, { maxOutputLength: MAX_ANSWER_BYTES });
  } catch (error) {
    if (error instanceof RangeError) throw new AnswerTooLargeError(" once decompressed");
    throw new UnusableAnswerError(`the endpoint's ${encoding}-encoded answer could not be decoded: ${(error as Error).message}`);
  }
}

function toResponse({ message }: Answer, method: string, body: Buffer): Response {
  const status = message.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    const location = message.headers.location;
    throw new UnusableAnswerError(`the endpoint redirects (HTTP ${status})${location ? ` to ${location}` : ""}: redirects are not followed, set the base URL to where it points`);
  }
  if (status < 200 || status > 599) throw new UnusableAnswerError(`the endpoint answered with HTTP status ${status}`);
  const headers = new Headers();
  for (let index = 0; index + 1 < message.rawHeaders.length; index += 2) {
    const name = message.rawHeaders[index]!.toLowerCase();
    // The body handed on is decoded and whole: its encoding and length are no longer the server's.
    if (name !== "content-encoding" && name !== "content-length") headers.append(name, message.rawHeaders[index + 1]!);
  }
  headers.set("content-length", String(body.length));
  // Buffer.concat and zlib allocate plain ArrayBuffers.
  const bytes = new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
  return new Response(NO_BODY.has(status) || method === "HEAD" ? null : bytes, { status, statusText: message.statusMessage ?? "", headers });
}

function abortError(): DOMException {
  return new DOMException("This operation was aborted", "AbortError");
}
