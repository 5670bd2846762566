/** Between node:http and web-standard Request/Response, for servers that are not Next. */
import type http from "node:http";
import { JSON_BODY_CAP, readCappedNodeBody } from "./body-limits.ts";

export function webHeaders(incoming: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return headers;
}

/** The request with its body read (up to the JSON body cap: an over-cap body throws a 413 HttpError). */
export async function toWebRequest(incoming: http.IncomingMessage): Promise<Request> {
  const body = await readCappedNodeBody(incoming, JSON_BODY_CAP);
  const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host ?? "127.0.0.1"}`);
  return new Request(url, { method: incoming.method, headers: webHeaders(incoming), body: body.length > 0 ? body : undefined });
}

export async function sendWebResponse(response: Response, outgoing: http.ServerResponse): Promise<void> {
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}
