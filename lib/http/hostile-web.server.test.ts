/**
 * Attacks from web pages and other machines, against the studio's own gated listener on a real
 * socket (the one scripts/studio-server.ts runs), in front of the real route modules (called as Next
 * calls them, with the request stream as the body) and the real MCP endpoint of a running instance.
 * e2e/hostile-web.spec.ts repeats the core of these against the production server.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { errorMessage, rawRequest, streamBody } from "../testing/raw-http.ts";
import { useTempStudioHome } from "../testing/temp-home.ts";

const home = useTempStudioHome("awm-hostile-web-");
const { importTinyShop, TINY_SHOP } = await import("../testing/tiny-shop-instance.ts");
const manager = await import("../instances/manager.ts");
const { accessConfig } = await import("./access-config.ts");
const { createGate, studioCookieName } = await import("./gate.ts");
const { gatedListener } = await import("./gated-server.ts");
const { errorResponse } = await import("./handler.ts");
const { sendWebResponse, webHeaders } = await import("./node-adapter.ts");
const { ensureStudioToken, studioTokenFile } = await import("./studio-token.ts");
const { mcpEndpoint } = await import("../mcp/endpoint.ts");
const { mcpPathInstance } = await import("./mcp-token.ts");

type RouteHandler = (request: Request, arg: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ROUTES: { pattern: RegExp; module: Record<string, unknown> }[] = [
  { pattern: /^\/api\/instances$/, module: await import("../../app/api/instances/route.ts") },
  { pattern: /^\/api\/instances\/(?<id>[^/]+)\/call$/, module: await import("../../app/api/instances/[id]/call/route.ts") },
  { pattern: /^\/api\/settings$/, module: await import("../../app/api/settings/route.ts") },
];

/** Next's part: route modules get a web Request whose body is the node request stream, as in Next. */
async function nextStandIn(incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void> {
  const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host}`);
  if (url.pathname === "/") {
    outgoing.writeHead(200, { "content-type": "text/html" }).end("<h1>the studio</h1>");
    return;
  }
  const match = ROUTES.map((route) => ({ route, found: route.pattern.exec(url.pathname) })).find(({ found }) => found);
  const handler = match?.route.module[incoming.method ?? "GET"] as RouteHandler | undefined;
  if (!match?.found || !handler) {
    outgoing.writeHead(404).end();
    return;
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  const init = { method: incoming.method, headers: webHeaders(incoming), body: hasBody ? (incoming as unknown as BodyInit) : undefined, duplex: "half" };
  const response = await handler(new Request(url, init as RequestInit), { params: Promise.resolve({ ...match.found.groups }) }).catch(errorResponse);
  await sendWebResponse(response, outgoing);
}

const JSON_HEADERS = { "content-type": "application/json" };
let server: http.Server;
let port: number;
let base: string;
let token: string;
let bearer: Record<string, string>;
let instanceId: string;
/** Bytes the server's sockets have read, to see that a refused body is not read. */
let socketBytes = 0;

before(async () => {
  await importTinyShop();
  token = ensureStudioToken(studioTokenFile(home));
  bearer = { authorization: `Bearer ${token}` };
  let listener: http.RequestListener = () => undefined;
  server = http.createServer((incoming, outgoing) => listener(incoming, outgoing));
  server.on("connection", (socket) => socket.on("data", (chunk: Buffer) => (socketBytes += chunk.length)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  const gate = createGate(accessConfig({ host: "127.0.0.1", port }, {}, home), token);
  listener = gatedListener(gate, { mcpInstance: mcpPathInstance, mcp: mcpEndpoint, other: nextStandIn });
  const created = await fetch(`${base}/api/instances`, { method: "POST", headers: { ...JSON_HEADERS, ...bearer }, body: JSON.stringify({ environment: TINY_SHOP }) });
  assert.equal(created.status, 200, await created.clone().text());
  instanceId = ((await created.json()) as { id: string }).id;
});

after(async () => {
  await manager.stopAll();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(home, { recursive: true, force: true });
});

const raw = (method: string, pathname: string, headers: Record<string, string>, body?: string) => rawRequest(port, method, pathname, headers, body);

const host = () => ({ host: `127.0.0.1:${port}` });
const callPath = () => `/api/instances/${instanceId}/call`;
const rename = JSON.stringify({ tool: "rename_product", arguments: { product_id: 1, name: "Pwned" } });

/** The attack changed nothing: product 1 keeps its name. */
async function assertProductUntouched(): Promise<void> {
  const answer = await raw("POST", callPath(), { ...host(), ...JSON_HEADERS, ...bearer }, JSON.stringify({ tool: "get_product", arguments: { product_id: 1 } }));
  assert.equal(answer.status, 200, answer.text);
  assert.equal((JSON.parse(answer.text) as { body: { name: string } }).body.name, "Mug");
}

describe("DNS rebinding", () => {
  test("Host: evil.example is refused with 403, even carrying the token", async () => {
    for (const name of ["evil.example", `evil.example:${port}`]) {
      const answer = await raw("POST", callPath(), { host: name, ...JSON_HEADERS, ...bearer }, rename);
      assert.equal(answer.status, 403);
      assert.match(errorMessage(answer), new RegExp(`Host "${name}" is not a name of this studio`));
    }
    assert.equal((await raw("GET", "/", { host: "evil.example", cookie: `${studioCookieName(port)}=${token}` })).status, 403);
    await assertProductUntouched();
  });
});

describe("cross-site requests", () => {
  test("a cross-site text/plain POST (no preflight needed) is refused", async () => {
    const browserHeaders = { ...host(), "content-type": "text/plain;charset=UTF-8", origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    const asBrowser = await raw("POST", callPath(), browserHeaders, rename);
    assert.equal(asBrowser.status, 403);
    // Even if the page got the token or a cookie (same-site page, a proxy): text/plain is not JSON.
    const withToken = await raw("POST", callPath(), { ...host(), "content-type": "text/plain", ...bearer }, rename);
    assert.equal(withToken.status, 415);
    assert.match(errorMessage(withToken), /Content-Type: application\/json.*"text\/plain"/);
    await assertProductUntouched();
  });

  test("a POST from a foreign Origin is refused though it carries the token, on REST and MCP", async () => {
    const foreign = await raw("POST", callPath(), { ...host(), ...JSON_HEADERS, ...bearer, origin: "https://evil.example" }, rename);
    assert.equal(foreign.status, 403);
    assert.match(errorMessage(foreign), /origin https:\/\/evil\.example is not allowed/);
    const otherPort = await raw("POST", callPath(), { ...host(), ...JSON_HEADERS, ...bearer, origin: "http://127.0.0.1:1" }, rename);
    assert.equal(otherPort.status, 403);
    const nullOrigin = await raw("POST", callPath(), { ...host(), ...JSON_HEADERS, ...bearer, origin: "null" }, rename);
    assert.equal(nullOrigin.status, 403);
    const crossSite = await raw("POST", callPath(), { ...host(), ...JSON_HEADERS, ...bearer, "sec-fetch-site": "cross-site" }, rename);
    assert.equal(crossSite.status, 403);
    const mcp = await raw(
      "POST",
      `/api/instances/${instanceId}/mcp`,
      { ...host(), ...JSON_HEADERS, ...bearer, accept: "application/json, text/event-stream", origin: "https://evil.example" },
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "rename_product", arguments: { product_id: 1, name: "Pwned" } } }),
    );
    assert.equal(mcp.status, 403);
    await assertProductUntouched();
    const ownPage = await raw("POST", callPath(), { ...host(), ...JSON_HEADERS, ...bearer, origin: base, "sec-fetch-site": "same-origin" }, JSON.stringify({ tool: "get_product", arguments: { product_id: 2 } }));
    assert.equal(ownPage.status, 200, ownPage.text);
  });
});

describe("the studio token", () => {
  test("without a token: the API answers 401 JSON, a page says how to get in, the MCP SDK client fails", async () => {
    const api = await raw("POST", callPath(), { ...host(), ...JSON_HEADERS }, rename);
    assert.equal(api.status, 401);
    assert.match(errorMessage(api), /needs its token: send Authorization: Bearer/);
    assert.equal(api.headers["www-authenticate"], 'Bearer realm="awm-studio"');
    // Refused or served, no answer may be framed by another site, sniffed, or leak its URL as a referrer.
    const served = await raw("GET", "/api/settings", { ...host(), ...bearer });
    for (const answer of [api, served]) {
      assert.equal(answer.headers["content-security-policy"], "frame-ancestors 'none'");
      assert.equal(answer.headers["x-frame-options"], "DENY");
      assert.equal(answer.headers["x-content-type-options"], "nosniff");
      assert.equal(answer.headers["referrer-policy"], "no-referrer");
    }
    const settings = await raw("GET", "/api/settings", host());
    assert.equal(settings.status, 401);
    const page = await raw("GET", "/", host());
    assert.equal(page.status, 401);
    assert.match(page.headers["content-type"] ?? "", /text\/html/);
    assert.match(page.text, /awm-studio token/);
    assert.match(page.text, /\/\?token=/);

    const anonymous = new Client({ name: "hostile-anonymous", version: "1.0.0" });
    await assert.rejects(
      anonymous.connect(new StreamableHTTPClientTransport(new URL(`${base}/api/instances/${instanceId}/mcp`))),
      (error: Error & { code?: number }) => error.code === 401 && /needs its instance's MCP token/.test(error.message),
    );
    const agent = new Client({ name: "hostile-agent", version: "1.0.0" });
    await agent.connect(new StreamableHTTPClientTransport(new URL(`${base}/api/instances/${instanceId}/mcp`), { requestInit: { headers: bearer } }));
    assert.ok((await agent.listTools()).tools.some((tool) => tool.name === "rename_product"));
    await agent.close();
    await assertProductUntouched();
  });

  test("a wrong token is refused as bearer, cookie and token URL", async () => {
    const wrong = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    assert.equal((await raw("POST", callPath(), { ...host(), ...JSON_HEADERS, authorization: `Bearer ${wrong}` }, rename)).status, 401);
    assert.equal((await raw("GET", "/api/settings", { ...host(), cookie: `${studioCookieName(port)}=${wrong}` })).status, 401);
    assert.equal((await raw("GET", "/api/settings", { ...host(), cookie: `awm_studio_1=${token}` })).status, 401);
    const url = await raw("GET", `/?token=${wrong}`, host());
    assert.equal(url.status, 401);
    assert.equal(url.headers["set-cookie"], undefined);
    await assertProductUntouched();
  });

  test("the token URL sets an HttpOnly SameSite=Strict cookie and redirects to the clean URL; the cookie then signs requests in", async () => {
    const signIn = await raw("GET", `/environments?tab=code&token=${token}`, host());
    assert.equal(signIn.status, 303);
    assert.equal(signIn.headers.location, "/environments?tab=code");
    const [cookie = ""] = signIn.headers["set-cookie"] ?? [];
    assert.match(cookie, new RegExp(`^${studioCookieName(port)}=${token};`));
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Strict/);
    const pair = cookie.split(";")[0]!;
    assert.equal((await raw("GET", "/api/settings", { ...host(), cookie: pair })).status, 200);
    assert.equal((await raw("GET", "/", { ...host(), cookie: pair })).status, 200);
    // "//evil.example" would be another site to a browser.
    assert.equal((await raw("GET", `//evil.example/?token=${token}`, host())).headers.location, "/");
  });
});

describe("body caps", () => {
  const send = (pathname: string, total: number, declareLength: boolean) => streamBody(port, pathname, { ...host(), ...JSON_HEADERS, ...bearer }, total, declareLength);

  test("a declared 300 MB JSON body is refused with 413 naming the cap, and not read", async () => {
    socketBytes = 0;
    const { answer, produced, ms } = await send(callPath(), 300 * 1024 * 1024, true);
    assert.equal(answer.status, 413);
    assert.match(errorMessage(answer), /300 MiB exceeds the 8 MiB cap on a JSON request body/);
    assert.ok(produced < 64 * 1024 * 1024, `${produced} bytes were sent before the answer`);
    assert.ok(ms < 5_000, `the answer took ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(socketBytes < 1024 * 1024, `the server read ${socketBytes} bytes of a refused body`);
    await assertProductUntouched();
  });

  test("a 64 MB chunked JSON body is cut at the 8 MiB cap with 413, on a route and on MCP", async () => {
    for (const pathname of [callPath(), `/api/instances/${instanceId}/mcp`]) {
      const { answer, produced } = await send(pathname, 64 * 1024 * 1024, false);
      assert.equal(answer.status, 413, `${pathname}: ${answer.text}`);
      assert.match(errorMessage(answer), /exceeds the 8 MiB cap on a JSON request body/);
      assert.ok(produced < 40 * 1024 * 1024, `${pathname}: ${produced} bytes were produced before the answer`);
    }
    await assertProductUntouched();
  });
});
