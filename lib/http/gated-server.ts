/**
 * The studio's node:http request listener: every request passes the gate, then goes to the MCP
 * fast path or to Next. Kept apart from scripts/studio-server.ts so tests can run the same listener
 * with their own inner handlers.
 */
import type http from "node:http";
import { checkRequest, type Gate } from "./gate.ts";
import { errorResponse } from "./handler.ts";
import { sendWebResponse, toWebRequest, webHeaders } from "./node-adapter.ts";

export interface StudioHandlers {
  /** The instance id when the path is an MCP endpoint. */
  mcpInstance(pathname: string): string | undefined;
  mcp(request: Request, instanceId: string): Promise<Response>;
  /** Everything else (Next). */
  other(incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void>;
}

/** How long a client may still read an answer sent before its request body was read in full. */
const UNREAD_BODY_GRACE_MS = 2_000;

/**
 * On every answer, refused or served: no page of the studio in another site's frame (clickjacking
 * the Settings or a delete), no content sniffing of an environment's text served as something else,
 * and no Referer carrying a studio URL (the first one holds the token) to a link's site.
 */
const SECURITY_HEADERS = {
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export function gatedListener(gate: Gate, handlers: StudioHandlers): http.RequestListener {
  return (incoming, outgoing) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) outgoing.setHeader(name, value);
    closeWhenAnsweredUnread(incoming, outgoing);
    const verdict = checkRequest({ method: incoming.method ?? "GET", url: incoming.url ?? "/", headers: webHeaders(incoming) }, gate);
    if (!verdict.pass) holdUnreadBody(incoming);
    const served = verdict.pass ? serve(incoming, outgoing, handlers) : sendWebResponse(verdict.response, outgoing);
    served.catch((error: unknown) => {
      console.error(error);
      if (!outgoing.headersSent) outgoing.writeHead(500);
      outgoing.end();
    });
  };
}

function serve(incoming: http.IncomingMessage, outgoing: http.ServerResponse, handlers: StudioHandlers): Promise<void> {
  const instanceId = handlers.mcpInstance(new URL(incoming.url ?? "/", "http://studio").pathname);
  if (instanceId === undefined) return handlers.other(incoming, outgoing);
  return toWebRequest(incoming)
    .then((request) => handlers.mcp(request, instanceId))
    .catch(errorResponse)
    .then((response) => sendWebResponse(response, outgoing));
}

/**
 * A refused request's body is not read: node would otherwise read and discard it after the answer
 * (to reuse the connection), however large. Starting to read counts as consuming it, which stops
 * that; the stream then holds at most one buffer and the socket waits (see closeWhenAnsweredUnread).
 */
function holdUnreadBody(incoming: http.IncomingMessage): void {
  incoming.pause();
  incoming.read(0);
}

/**
 * An answer sent before the body was read in full (refused, or over its cap) ends the connection
 * after a grace period: closing at once, with unread data, would reset the connection and could
 * lose the answer before the client reads it; the rest of the body is never read.
 */
function closeWhenAnsweredUnread(incoming: http.IncomingMessage, outgoing: http.ServerResponse): void {
  const declaresBody = incoming.headers["transfer-encoding"] !== undefined || (incoming.headers["content-length"] ?? "0") !== "0";
  if (!declaresBody) return;
  // Node would close at once for a client that sent `Connection: close`; this timer closes instead.
  if (incoming.httpVersion === "1.1") outgoing.setHeader("connection", "keep-alive");
  outgoing.once("finish", () => {
    if (incoming.complete) return;
    setTimeout(() => incoming.socket.destroy(), UNREAD_BODY_GRACE_MS).unref();
  });
}
