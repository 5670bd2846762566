/**
 * The gate's decisions on forged requests, without a socket: what each attack gets and what
 * configuration is refused outright. lib/http/hostile-web.server.test.ts runs them over HTTP.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { accessConfig } from "./access-config.ts";
import { checkRequest, createGate, studioCookieName, type GateRequest } from "./gate.ts";
import { ensureStudioToken, readStudioToken, studioTokenFile, tokenMatches } from "./studio-token.ts";

const home = "/nonexistent/awm-studio-home";
const TOKEN = "t".repeat(43);
const loopback = createGate(accessConfig({ host: "127.0.0.1", port: 3000 }, {}, home), TOKEN);

function request(method: string, url: string, headers: Record<string, string>): GateRequest {
  return { method, url, headers: new Headers({ host: "127.0.0.1:3000", ...headers }) };
}

function status(verdict: ReturnType<typeof checkRequest>): number {
  return verdict.pass ? 200 : verdict.response.status;
}

const bearer = { authorization: `Bearer ${TOKEN}` };
const json = { "content-type": "application/json", "content-length": "2" };

test("a loopback studio answers to its loopback names with its port only", () => {
  for (const host of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "LOCALHOST:3000"]) {
    assert.equal(status(checkRequest(request("GET", "/api/settings", { ...bearer, host }), loopback)), 200, host);
  }
  for (const host of ["evil.example", "evil.example:3000", "127.0.0.1", "127.0.0.1:3001", "localhost.evil.example:3000", ""]) {
    assert.equal(status(checkRequest(request("GET", "/api/settings", { ...bearer, host }), loopback)), 403, host);
  }
});

test("beyond loopback: the token cannot be turned off, and extra names come from AWM_STUDIO_ALLOWED_HOSTS", () => {
  assert.throws(() => accessConfig({ host: "0.0.0.0", port: 3000 }, { AWM_STUDIO_AUTH: "off" }, home), /AWM_STUDIO_AUTH=off is refused: the studio listens on 0\.0\.0\.0/);
  assert.throws(() => accessConfig({ host: "127.0.0.1", port: 3000 }, { AWM_STUDIO_AUTH: "maybe" }, home), /must be "on" or "off"/);
  const lan = accessConfig({ host: "192.168.1.20", port: 3000 }, { AWM_STUDIO_ALLOWED_HOSTS: "studio.lan, box:8443" }, home);
  assert.equal(lan.authRequired, true);
  assert.deepEqual(lan.allowedHosts, ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "192.168.1.20:3000", "studio.lan:3000", "box:8443"]);
  assert.equal(lan.publicUrl, "http://192.168.1.20:3000/");
  const off = accessConfig({ host: "127.0.0.1", port: 3000 }, { AWM_STUDIO_AUTH: "off" }, home);
  assert.equal(off.authRequired, false);
  assert.equal(status(checkRequest(request("GET", "/api/settings", {}), createGate(off, TOKEN))), 200);
});

test("with auth off, Host, Origin and body checks still hold", () => {
  const gate = createGate(accessConfig({ host: "127.0.0.1", port: 3000 }, { AWM_STUDIO_AUTH: "off" }, home), undefined);
  assert.equal(status(checkRequest(request("GET", "/", { host: "evil.example" }), gate)), 403);
  assert.equal(status(checkRequest(request("POST", "/api/instances", { ...json, origin: "https://evil.example" }), gate)), 403);
  assert.equal(status(checkRequest(request("POST", "/api/instances", { "content-type": "text/plain", "content-length": "2" }), gate)), 415);
});

test("writes from other sites are refused by Origin and by Sec-Fetch-Site; reads and non-browser clients pass", () => {
  const post = (headers: Record<string, string>) => status(checkRequest(request("POST", "/api/instances", { ...bearer, ...json, ...headers }), loopback));
  assert.equal(post({}), 200);
  assert.equal(post({ origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" }), 200);
  assert.equal(post({ origin: "http://localhost:3000" }), 200);
  assert.equal(post({ origin: "https://evil.example" }), 403);
  assert.equal(post({ origin: "http://localhost:8080" }), 403);
  assert.equal(post({ origin: "null" }), 403);
  assert.equal(post({ "sec-fetch-site": "cross-site" }), 403);
  assert.equal(post({ "sec-fetch-site": "same-site" }), 403);
  for (const method of ["PUT", "PATCH", "DELETE", "OPTIONS"]) {
    assert.equal(status(checkRequest(request(method, "/api/settings", { ...bearer, origin: "https://evil.example" }), loopback)), 403, method);
  }
  assert.equal(status(checkRequest(request("GET", "/api/settings", { ...bearer, origin: "https://evil.example", "sec-fetch-site": "cross-site" }), loopback)), 200);
});

test("bodies: JSON everywhere, multipart only on the upload route and with a length, both under their caps", () => {
  const post = (pathname: string, headers: Record<string, string>) => checkRequest(request("POST", pathname, { ...bearer, ...headers }), loopback);
  assert.equal(status(post("/api/settings/test", { "content-type": "text/plain", "content-length": "10" })), 415);
  assert.equal(status(post("/api/settings/test", { "content-type": "application/x-www-form-urlencoded", "content-length": "10" })), 415);
  assert.equal(status(post("/api/settings/test", { "content-type": "multipart/form-data; boundary=x", "content-length": "10" })), 415);
  assert.equal(status(post("/api/settings/test", { "transfer-encoding": "chunked" })), 415);
  assert.equal(status(post("/api/settings/test", { "content-type": "application/json; charset=utf-8", "content-length": "10" })), 200);
  assert.equal(status(post("/api/instances/abc/reset", { "content-length": "0" })), 200);
  assert.equal(status(post("/api/trajectories/import", { "content-type": "multipart/form-data; boundary=x", "content-length": "1000" })), 200);
  assert.equal(status(post("/api/trajectories/import", { "content-type": "multipart/form-data; boundary=x", "transfer-encoding": "chunked" })), 411);
  assert.equal(status(post("/api/trajectories/import", { "content-type": "multipart/form-data; boundary=x", "content-length": String(600 * 1024 * 1024) })), 413);
  assert.equal(status(post("/api/settings", { "content-type": "application/json", "content-length": String(8 * 1024 * 1024 + 1) })), 413);
});

test("the token: a wrong or missing one is 401 JSON on the API and a page elsewhere; the token URL sets the cookie", async () => {
  const wrong = { authorization: `Bearer ${"u".repeat(43)}` };
  const api = checkRequest(request("GET", "/api/settings", wrong), loopback);
  assert.equal(status(api), 401);
  assert.match(api.pass ? "" : (await api.response.json()).error.message, /needs its token/);
  const page = checkRequest(request("GET", "/environments", {}), loopback);
  assert.equal(status(page), 401);
  assert.match(page.pass ? "" : await page.response.text(), /npx awm-studio token/);
  assert.equal(status(checkRequest(request("GET", "/", { cookie: `other=1; ${studioCookieName(3000)}=${TOKEN}` }), loopback)), 200);
  assert.equal(status(checkRequest(request("GET", "/", { authorization: `Basic ${TOKEN}` }), loopback)), 401);
  const signIn = checkRequest(request("GET", `/?token=${TOKEN}`, {}), loopback);
  assert.equal(status(signIn), 303);
  assert.match(signIn.pass ? "" : (signIn.response.headers.get("set-cookie") ?? ""), /HttpOnly; SameSite=Strict/);
  // A token in a POST's query string is no sign-in.
  assert.equal(status(checkRequest(request("POST", `/api/instances?token=${TOKEN}`, json), loopback)), 401);
});

test("the token file is made once, owner-only, and compared in constant time", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "awm-token-"));
  try {
    const file = studioTokenFile(dir);
    assert.equal(readStudioToken(file), undefined);
    const made = ensureStudioToken(file);
    assert.match(made, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(ensureStudioToken(file), made);
    fs.chmodSync(file, 0o644);
    ensureStudioToken(file);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    fs.writeFileSync(file, "short\n");
    assert.throws(() => ensureStudioToken(file), /holds no valid studio token/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(tokenMatches(TOKEN, TOKEN), true);
  assert.equal(tokenMatches(TOKEN.slice(1), TOKEN), false);
  assert.equal(tokenMatches("", TOKEN), false);
});

test("an instance's MCP token opens that instance's MCP endpoint only; a refused MCP call is pointed at the episode's token", async () => {
  const { mcpToken } = await import("./mcp-token.ts");
  const own = { authorization: `Bearer ${mcpToken(TOKEN, "abc123")}` };
  assert.equal(status(checkRequest(request("POST", "/api/instances/abc123/mcp", { ...own, ...json }), loopback)), 200);
  assert.equal(status(checkRequest(request("GET", "/api/instances/abc123/mcp-token", own), loopback)), 401);
  const other = checkRequest(request("POST", "/api/instances/def456/mcp", { ...own, ...json }), loopback);
  assert.equal(status(other), 401);
  const message = other.pass ? "" : ((await other.response.json()) as { error: { message: string } }).error.message;
  assert.match(message, /^this MCP endpoint needs its instance's MCP token \(each episode's opens its own instance only/);
});
