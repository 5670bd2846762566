/**
 * The one check every request to the studio passes before Next or MCP sees it:
 *   1. Host is one of the studio's names (a DNS-rebound name is refused);
 *   2. GET ?token=… with the right token sets the cookie and redirects to the clean URL;
 *   3. writes (anything but GET/HEAD) come from the studio's own origin or from no browser at all;
 *   4. the token, as `Authorization: Bearer` or the HttpOnly cookie, unless auth is off (an
 *      instance's MCP endpoint also takes that instance's own MCP token, see mcp-token.ts);
 *   5. a body is JSON (multipart only where an upload is meant) and declares no more than its cap.
 * Pure: headers in, a verdict out.
 */
import { capText, formatBytes, type Cap } from "../config/caps.ts";
import type { AccessConfig } from "./access-config.ts";
import { JSON_BODY_CAP, UPLOAD_BODY_CAP } from "./body-limits.ts";
import { isJsonContentType, isMultipartContentType } from "./content-type.ts";
import { loginPage } from "./login-page.ts";
import { mcpPathInstance, mcpToken } from "./mcp-token.ts";
import { tokenMatches } from "./studio-token.ts";

export interface Gate {
  allowedHosts: Set<string>;
  allowedOrigins: Set<string>;
  /** Undefined when auth is off. */
  token: string | undefined;
  cookieName: string;
}

export interface GateRequest {
  method: string;
  /** Path and query, as in the request line. */
  url: string;
  headers: Headers;
}

export type GateVerdict = { pass: true } | { pass: false; response: Response };
/** `pageMessage` is what a browser page shows instead of the API message, when they differ. */
type Refuse = (status: number, message: string, headers?: Record<string, string>, pageMessage?: string) => GateVerdict;

/** Paths where a multipart upload is meant. */
const UPLOAD_PATHS = new Set(["/api/trajectories/import"]);
const COOKIE_MAX_AGE_S = 30 * 24 * 3600;

export function createGate(config: AccessConfig, token: string | undefined): Gate {
  return {
    allowedHosts: new Set(config.allowedHosts),
    allowedOrigins: new Set(config.allowedHosts.flatMap((host) => [`http://${host}`, `https://${host}`])),
    token: config.authRequired ? token : undefined,
    cookieName: studioCookieName(config.listen.port),
  };
}

/** Cookies ignore ports: each studio on this machine keeps its own. */
export function studioCookieName(port: number): string {
  return `awm_studio_${port}`;
}

export function checkRequest(request: GateRequest, gate: Gate): GateVerdict {
  const url = new URL(request.url, "http://studio");
  const api = url.pathname.startsWith("/api/");
  const refuse: Refuse = (status, message, headers = {}, pageMessage = message) => ({
    pass: false,
    response: api || status !== 401 ? Response.json({ error: { message } }, { status, headers }) : loginPage(status, pageMessage),
  });

  const host = (request.headers.get("host") ?? "").toLowerCase();
  if (!gate.allowedHosts.has(host)) {
    return refuse(403, `Host "${host}" is not a name of this studio (${[...gate.allowedHosts].join(", ")}); set AWM_STUDIO_ALLOWED_HOSTS to serve another name`);
  }

  // Next decodes path segments and answers 500 for one that is not valid percent-encoding (`%ZZ`).
  if (!validPercentEncoding(url.pathname)) return refuse(400, `the path ${url.pathname} is not valid percent-encoding`);

  const readOnly = request.method === "GET" || request.method === "HEAD";
  const offered = url.searchParams.get("token");
  if (readOnly && offered !== null && gate.token !== undefined) {
    if (!tokenMatches(offered, gate.token)) return refuse(401, "This token is not the studio's: open the URL printed at start-up again, or run `awm-studio token`.");
    url.searchParams.delete("token");
    return { pass: false, response: signIn(url, gate) };
  }

  if (!readOnly) {
    const site = request.headers.get("sec-fetch-site");
    if (site !== null && site !== "same-origin" && site !== "none") return refuse(403, `a ${site} request may not change the studio (Sec-Fetch-Site: ${site})`);
    const origin = request.headers.get("origin");
    if (origin !== null && !gate.allowedOrigins.has(origin.toLowerCase())) {
      return refuse(403, `origin ${origin} is not allowed: only the studio's own pages may send it ${request.method} requests`);
    }
  }

  if (gate.token !== undefined && !authenticated(request.headers, gate, url.pathname)) {
    // An agent on an MCP endpoint holds (at most) an episode's token: point it at that, not at the studio's.
    const onMcp = mcpPathInstance(url.pathname) !== undefined;
    return refuse(
      401,
      onMcp
        ? "this MCP endpoint needs its instance's MCP token (each episode's opens its own instance only: `awm-studio episode start` prints it, the Instances page copies it) or the studio's: send Authorization: Bearer <token>"
        : "this studio needs its token: send Authorization: Bearer <token> (`awm-studio token` prints it) or open the URL printed at start-up",
      { "www-authenticate": 'Bearer realm="awm-studio"' },
      "This browser is not signed in to this studio.",
    );
  }

  return readOnly ? { pass: true } : checkBody(request.headers, url.pathname, refuse);
}

function validPercentEncoding(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function checkBody(headers: Headers, pathname: string, refuse: Refuse): GateVerdict {
  const length = headers.get("content-length");
  const hasBody = headers.has("transfer-encoding") || (length !== null && length !== "0");
  if (!hasBody) return { pass: true };
  const type = headers.get("content-type");
  const upload = UPLOAD_PATHS.has(pathname) && isMultipartContentType(type);
  if (!upload && !isJsonContentType(type)) {
    const allowed = UPLOAD_PATHS.has(pathname) ? "application/json or multipart/form-data" : "application/json";
    return refuse(415, `request body refused: send it with Content-Type: ${allowed} (got ${type ? `"${type}"` : "no Content-Type"})`);
  }
  const cap: Cap = upload ? UPLOAD_BODY_CAP : JSON_BODY_CAP;
  // An upload is held in memory while parsed, so its size must be known before reading it.
  if (upload && length === null) return refuse(411, `an upload needs a Content-Length (${capText(cap)})`);
  if (length !== null && !(Number(length) <= cap.bytes)) {
    return refuse(413, `request body refused: ${formatBytes(Number(length))} exceeds ${capText(cap)}`);
  }
  return { pass: true };
}

/** The studio's token (bearer or cookie) anywhere; on an instance's MCP endpoint, that instance's MCP token too. */
function authenticated(headers: Headers, gate: Gate, pathname: string): boolean {
  const token = gate.token!;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "")?.[1];
  if (bearer !== undefined) {
    const instanceId = mcpPathInstance(pathname);
    return tokenMatches(bearer, token) || (instanceId !== undefined && tokenMatches(bearer, mcpToken(token, instanceId)));
  }
  const cookie = readCookie(headers.get("cookie"), gate.cookieName);
  return cookie !== undefined && tokenMatches(cookie, token);
}

function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function signIn(url: URL, gate: Gate): Response {
  const cookie = `${gate.cookieName}=${gate.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_S}`;
  // One leading slash: "//other.example" would be read as another site.
  const location = `/${url.pathname.replace(/^\/+/, "")}${url.search}`;
  return new Response(null, { status: 303, headers: { location, "set-cookie": cookie, "cache-control": "no-store" } });
}
