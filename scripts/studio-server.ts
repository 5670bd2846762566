/**
 * The studio's HTTP server. Every request first passes the gate (lib/http/gate.ts: Host, Origin,
 * token, body type and cap); then Next serves pages and routes, except the instances' MCP endpoints,
 * which agents call once per tool call: those are answered here directly, without Next's per-request
 * routing (about 2 ms here), by the same lib function the Next route uses.
 * Run: node --import tsx scripts/studio-server.ts [--host 127.0.0.1] [--port 3000] [--dev] (NEXT_DIST_DIR picks the
 * build; AWM_STUDIO_HOST and PORT give the defaults; --dev serves Next's development mode behind the same gate).
 */
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { projectRoot, studioHome } from "../lib/config/paths.ts";
import { createFilesOwnerOnly, ensurePrivateHome } from "../lib/config/private-files.ts";
import { accessConfig, defaultListen } from "../lib/http/access-config.ts";
import { createGate } from "../lib/http/gate.ts";
import { gatedListener } from "../lib/http/gated-server.ts";
import { ensureStudioToken } from "../lib/http/studio-token.ts";
import { removeStudioAddress, writeStudioAddress } from "../lib/http/studio-address.ts";
import { markInterruptedImports } from "../lib/library/import-runs.ts";
import { sweepLeftovers } from "../lib/startup/sweep-leftovers.ts";
import { mcpEndpoint } from "../lib/mcp/endpoint.ts";
import { mcpPathInstance } from "../lib/http/mcp-token.ts";

const defaults = defaultListen();
const { values } = parseArgs({
  options: { host: { type: "string", default: defaults.host }, port: { type: "string", default: String(defaults.port) }, dev: { type: "boolean", default: false } },
});
const listen = { host: values.host, port: Number(values.port) };

createFilesOwnerOnly();
ensurePrivateHome(studioHome());
const access = accessConfig(listen);
const token = access.authRequired ? ensureStudioToken(access.tokenFile) : undefined;

// An import whose process died while this server was down shows as interrupted (resumable) at once.
await markInterruptedImports();
// What a studio killed midway left (uploads, exports, trajectory folders no row names) goes now.
const swept = await sweepLeftovers();
if (swept.length > 0) console.log(`AWM Studio removed ${swept.length} leftover(s) of an earlier process: ${swept.slice(0, 5).join(", ")}${swept.length > 5 ? ", …" : ""}`);

const app = next({ dev: values.dev, dir: projectRoot(), hostname: listen.host, port: listen.port });
const handleWithNext = app.getRequestHandler();
await app.prepare();

const server = http.createServer(
  gatedListener(createGate(access, token), { mcpInstance: mcpPathInstance, mcp: mcpEndpoint, other: handleWithNext }),
);

// Node closes an idle kept-alive connection after 5 s by default, so a client that sends on it just
// then gets ECONNRESET (a browser-test client did, after a page waited on a job). Clients that reuse
// connections keep them idle for less than this.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

server.listen(listen.port, listen.host, () => {
  writeStudioAddress(access.publicUrl);
  if (token === undefined) console.log(`AWM Studio serving ${access.publicUrl} (AWM_STUDIO_AUTH=off: no token needed on loopback)`);
  else console.log(`AWM Studio serving ${access.publicUrl}?token=${token} (open this URL; API and MCP clients send Authorization: Bearer <token>; \`awm-studio token\` prints it again)`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  // Exiting runs the instance manager's exit hook, which stops every environment process.
  process.once(signal, () => {
    removeStudioAddress(access.publicUrl);
    server.close(() => process.exit(0));
  });
}
