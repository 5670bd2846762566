import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { errorMessage, rawRequest, streamBody } from "../lib/testing/raw-http.ts";
import { bearerHeaders, studioHomeUnderTest, studioToken } from "./support/studio.ts";

// The attacks of lib/http/hostile-web.server.test.ts against the production server (Next behind the
// gate, the MCP fast path), and the sign-in a real browser goes through.
const LIBRARY = "maple_street_library_lending_desk";
const port = () => Number(process.env.AWM_E2E_PORT);
const host = () => ({ host: `127.0.0.1:${port()}` });
const json = { "content-type": "application/json" };

test.describe("a browser without the token", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("sees how to get in; the token URL signs it in with an HttpOnly cookie and a clean URL", async ({ page, context, baseURL }) => {
    const refused = await page.goto("/");
    expect(refused?.status()).toBe(401);
    await expect(page.getByText("npx awm-studio token")).toBeVisible();

    await page.goto(`/?token=${studioToken()}`);
    expect(page.url()).toBe(`${baseURL}/`);
    await expect(page.locator("body")).toHaveAttribute("data-library-ready", "true");
    await expect(page.locator(`[data-testid=library-row][data-name="${LIBRARY}"]`)).toBeVisible();
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", value: studioToken() });
    expect(await page.evaluate(() => document.cookie)).toBe("");
  });

  test("its API calls get 401 JSON and an MCP client without the token is refused", async ({ request, baseURL }) => {
    const api = await request.get("/api/environments");
    expect(api.status()).toBe(401);
    expect(((await api.json()) as { error: { message: string } }).error.message).toContain("needs its token");
    const created = await request.post("/api/instances", { data: { environment: LIBRARY }, headers: bearerHeaders() });
    expect(created.status()).toBe(200);
    const { id } = (await created.json()) as { id: string };
    try {
      const anonymous = new Client({ name: "e2e-anonymous", version: "1.0.0" });
      await expect(anonymous.connect(new StreamableHTTPClientTransport(new URL(`/api/instances/${id}/mcp`, baseURL)))).rejects.toMatchObject({ code: 401 });
      const wrong = new Client({ name: "e2e-wrong-token", version: "1.0.0" });
      const wrongHeaders = { authorization: `Bearer ${"x".repeat(43)}` };
      await expect(wrong.connect(new StreamableHTTPClientTransport(new URL(`/api/instances/${id}/mcp`, baseURL), { requestInit: { headers: wrongHeaders } }))).rejects.toMatchObject({ code: 401 });
    } finally {
      await request.delete(`/api/instances/${id}`, { headers: bearerHeaders() });
    }
  });
});

/** Instances the studio has made so far, stopped ones included. */
async function instanceCount(): Promise<number> {
  const answer = await rawRequest(port(), "GET", "/api/instances", { ...host(), ...bearerHeaders() });
  return (JSON.parse(answer.text) as { instances: unknown[] }).instances.length;
}

test("the production server refuses a forged Host, a cross-site text/plain POST and a foreign Origin", async () => {
  const body = JSON.stringify({ environment: LIBRARY });
  const before = await instanceCount();
  const rebound = await rawRequest(port(), "GET", "/api/environments", { host: "evil.example", ...bearerHeaders() });
  expect(rebound.status).toBe(403);
  expect(errorMessage(rebound)).toContain('Host "evil.example" is not a name of this studio');
  const crossSite = await rawRequest(port(), "POST", "/api/instances", { ...host(), "content-type": "text/plain", origin: "https://evil.example", "sec-fetch-site": "cross-site" }, body);
  expect(crossSite.status).toBe(403);
  const textPlain = await rawRequest(port(), "POST", "/api/instances", { ...host(), "content-type": "text/plain", ...bearerHeaders() }, body);
  expect(textPlain.status).toBe(415);
  const foreign = await rawRequest(port(), "POST", "/api/instances", { ...host(), ...json, ...bearerHeaders(), origin: "https://evil.example" }, body);
  expect(foreign.status).toBe(403);
  expect(await instanceCount()).toBe(before);
});

test("the production server cuts JSON bodies at the 8 MiB cap with 413, declared or streamed, on Next routes and MCP", async () => {
  const headers = { ...host(), ...json, ...bearerHeaders() };
  const declared = await streamBody(port(), "/api/settings/test", headers, 300 * 1024 * 1024, true);
  expect(declared.answer.status).toBe(413);
  expect(errorMessage(declared.answer)).toContain("300 MiB exceeds the 8 MiB cap on a JSON request body");
  expect(declared.produced).toBeLessThan(64 * 1024 * 1024);
  for (const pathname of ["/api/settings/test", "/api/instances/any/mcp"]) {
    const streamed = await streamBody(port(), pathname, headers, 64 * 1024 * 1024, false);
    expect(streamed.answer.status, streamed.answer.text).toBe(413);
    expect(errorMessage(streamed.answer)).toContain("exceeds the 8 MiB cap on a JSON request body");
    expect(streamed.produced).toBeLessThan(40 * 1024 * 1024);
  }
  expect((await rawRequest(port(), "GET", "/api/environments", { ...host(), ...bearerHeaders() })).status).toBe(200);
});

test("the server's home, database and token are its owner's only", () => {
  const home = studioHomeUnderTest();
  const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
  expect(mode(home)).toBe("700");
  expect(mode(path.join(home, "studio.db"))).toBe("600");
  expect(mode(path.join(home, "studio-token"))).toBe("600");
});

test("an id with an encoded ../ deletes nothing outside the trajectories: it is refused as no id, and a folder beside the home stays", async () => {
  const home = studioHomeUnderTest();
  const victim = fs.mkdtempSync(path.join(path.dirname(home), "awm-e2e-victim-"));
  fs.writeFileSync(path.join(victim, "keep.txt"), "mine");
  try {
    // trajectories/<id> with id "../../<victim>": Next decodes %2F, so the id reaches the route as a path.
    const attack = `/api/trajectories/..%2F..%2F${path.basename(victim)}`;
    const answer = await rawRequest(port(), "DELETE", attack, { ...host(), ...bearerHeaders() });
    expect(answer.status).toBe(400);
    expect(errorMessage(answer)).toContain(`not an id: "../../${path.basename(victim)}"`);
    expect(fs.readFileSync(path.join(victim, "keep.txt"), "utf8")).toBe("mine");
    const unknown = await rawRequest(port(), "DELETE", "/api/trajectories/cm0nosuchtrajectory000000", { ...host(), ...bearerHeaders() });
    expect(unknown.status).toBe(404);
  } finally {
    fs.rmSync(victim, { recursive: true, force: true });
  }
});

test("a path that is not valid percent-encoding is refused as such, not a server error, and no page may be framed by another site", async ({ page }) => {
  for (const path of ["/environments/%ZZ", "/trajectories/%E0%A4%A"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(400);
    expect(await response?.text()).toContain("is not valid percent-encoding");
  }
  const home = await page.goto("/");
  expect(home?.headers()["content-security-policy"]).toBe("frame-ancestors 'none'");
  expect(home?.headers()["x-powered-by"]).toBeUndefined();
});
