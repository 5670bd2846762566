/**
 * Route modules served over a real HTTP socket behind the studio's gate, as Next serves them:
 * match the path, build a web Request, call the method's export. Every path, MCP included, goes to
 * the route modules (the studio server's MCP fast path is left out).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { accessConfig } from "../http/access-config.ts";
import { createGate } from "../http/gate.ts";
import { gatedListener } from "../http/gated-server.ts";
import { toWebRequest } from "../http/node-adapter.ts";

type RouteHandler = (request: Request, arg: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** A route module's exports (handlers by HTTP method, plus settings such as `dynamic`) and the paths it answers; named groups are its params. */
export interface ServedRoute {
  pattern: RegExp;
  module: Record<string, unknown>;
}

export interface RouteServer {
  base: string;
  close(): Promise<void>;
}

export async function startRouteServer(routes: ServedRoute[], home: string, token: string): Promise<RouteServer> {
  const dispatch = async (incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void> => {
    const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host}`);
    const match = routes.map((candidate) => ({ candidate, found: candidate.pattern.exec(url.pathname) })).find(({ found }) => found);
    const handler = match?.candidate.module[incoming.method ?? "GET"] as RouteHandler | undefined;
    if (!match?.found || typeof handler !== "function") {
      outgoing.writeHead(404).end();
      return;
    }
    const response = await handler(await toWebRequest(incoming), { params: Promise.resolve({ ...match.found.groups }) });
    await streamWebResponse(response, outgoing);
  };
  let listener: http.RequestListener = () => undefined;
  const server = http.createServer((incoming, outgoing) => listener(incoming, outgoing));
  // As the studio's own server (scripts/studio-server.ts): a client reusing a connection just as Node's
  // 5 s idle close came got "other side closed" (two episode tests on a busy machine).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  listener = gatedListener(createGate(accessConfig({ host: "127.0.0.1", port }, {}, home), token), { mcpInstance: () => undefined, mcp: () => Promise.reject(new Error("unused")), other: dispatch });
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** As Next does, the body goes out as it is produced, so server-sent events arrive one by one, and a client that goes away cancels it. */
async function streamWebResponse(response: Response, outgoing: http.ServerResponse): Promise<void> {
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  const reader = response.body?.getReader();
  outgoing.on("close", () => {
    if (!outgoing.writableFinished) reader?.cancel().catch(() => undefined);
  });
  for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) outgoing.write(chunk.value);
  outgoing.end();
}
