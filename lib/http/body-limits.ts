/**
 * Caps on request bodies, enforced while reading: the studio stops reading at the cap and answers
 * 413, so an over-cap body is never held in memory.
 */
import type http from "node:http";
import { CAPS, capText, type Cap } from "../config/caps.ts";
import { HttpError } from "./http-error.ts";

export const JSON_BODY_CAP: Cap = {
  bytes: 8 * 1024 * 1024,
  what: "a JSON request body",
  why: "the largest JSON a client sends is an edited artifact (a FastAPI file, a verifier): kilobytes to a few MB",
};

/** Multipart bodies are uploads of a run folder, capped like the upload itself. */
export const UPLOAD_BODY_CAP: Cap = CAPS.runUpload;

function bodyTooLarge(cap: Cap): HttpError {
  return new HttpError(413, `request body refused: it exceeds ${capText(cap)}`, { capBytes: cap.bytes });
}

/** A web request's body as text, reading no further than the cap. */
export async function readCappedText(request: Request, cap: Cap = JSON_BODY_CAP): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap.bytes) {
      // Released, not cancelled: cancelling would destroy the socket before the 413 is sent.
      reader.releaseLock();
      throw bodyTooLarge(cap);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The same request with its body read in full, or a 413 HttpError past the cap (for consumers that read without a limit). */
export async function withCappedBody(request: Request, cap: Cap = JSON_BODY_CAP): Promise<Request> {
  if (!request.body) return request;
  const text = await readCappedText(request, cap);
  return new Request(request.url, { method: request.method, headers: request.headers, body: text === "" ? undefined : text });
}

/** A node request's body, reading no further than the cap (the rest stays unread, see closeUnreadRequests). */
export function readCappedNodeBody(incoming: http.IncomingMessage, cap: Cap = JSON_BODY_CAP): Promise<Buffer<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap.bytes) {
        chunks.push(chunk);
        return;
      }
      incoming.off("data", onData);
      incoming.pause();
      reject(bodyTooLarge(cap));
    };
    incoming.on("data", onData);
    incoming.once("end", () => resolve(Buffer.concat(chunks)));
    incoming.once("error", reject);
  });
}
